import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HostStartError } from './host-errors.js';

/** A plugin folder found on disk, before validation. */
export interface DiscoveredPlugin {
  /** Absolute folder of the plugin. */
  dir: string;
  /** Absolute path of its plugin.toml. */
  manifestFile: string;
  /** The manifest's text. */
  text: string;
}

/** Lists the sub-folders of `pluginsDir` that hold a plugin.toml, in name order. */
export function discoverPlugins(pluginsDir: string): DiscoveredPlugin[] {
  if (!existsSync(pluginsDir) || !statSync(pluginsDir).isDirectory()) {
    throw new HostStartError(`${pluginsDir}: plugins folder not found. Fix: create it, or set [host] plugins_dir in belfry.config.toml`);
  }
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(pluginsDir, entry.name))
    .filter((dir) => existsSync(join(dir, 'plugin.toml')))
    .sort()
    .map((dir) => {
      const manifestFile = join(dir, 'plugin.toml');
      return { dir, manifestFile, text: readFileSync(manifestFile, 'utf8') };
    });
}
