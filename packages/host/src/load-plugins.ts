import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue, Logger } from '@belfry/plugin-api';
import { PLUGIN_API_VERSION } from '@belfry/plugin-api';
import { formatDiagnostics, validateManifestSet } from '@belfry/manifest-validator';
import { errorText } from '@belfry/internal';
import { adaptPlugin } from './adapt-plugin.js';
import type { DiscoveredPlugin } from './discover-plugins.js';
import { HostStartError } from './host-errors.js';
import type { LoadedPlugin } from './loaded-plugin.js';

/** What a plugin entry's factory export is called with. */
export interface PluginContext {
  id: string;
  /** The plugin's `[plugins.<id>]` settings. */
  config: JsonValue;
  logger: Logger;
}

export interface LoadPluginsOptions {
  /** Folder file names in messages are shown relative to. */
  baseDir: string;
  settings: Record<string, JsonValue>;
  logger: Logger;
  hostApiVersion?: string;
}

/**
 * Validates every manifest as a set before importing any plugin code, then
 * imports each entry (except a poller-only plugin's, which is a program to
 * spawn, not a module). The entry's `default` (or `plugin`) export is the
 * plugin object, or a function that returns it given a PluginContext.
 */
export async function loadPlugins(found: readonly DiscoveredPlugin[], options: LoadPluginsOptions): Promise<LoadedPlugin[]> {
  const shown = (file: string): string => relative(options.baseDir, file) || file;
  const inputs = found.map((plugin) => ({ file: shown(plugin.manifestFile), text: plugin.text }));
  const result = validateManifestSet(inputs, { hostApiVersion: options.hostApiVersion ?? PLUGIN_API_VERSION });
  const errors = result.files.filter((file) => !file.ok);
  if (errors.length > 0) {
    const frames = errors.map((file) => formatDiagnostics(file.diagnostics, inputs.find((i) => i.file === file.file)!.text)).join('\n');
    const count = result.diagnostics.filter((d) => d.severity === 'error').length;
    throw new HostStartError(`${count} problem(s) in plugin manifests; no plugin was loaded:\n${frames}`);
  }

  const loaded: LoadedPlugin[] = [];
  for (const [index, plugin] of found.entries()) {
    const manifest = result.files[index]!.manifest!.plugin;
    const where = shown(plugin.manifestFile);
    // A poller's entry is a program the poller runtime spawns, never code for this process (it would read our stdin).
    if (manifest.capabilities.every((capability) => capability === 'poller')) {
      loaded.push({ id: manifest.id, dir: plugin.dir, manifest });
      continue;
    }
    const entry = resolve(plugin.dir, manifest.entry);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } catch (error) {
      throw new HostStartError(`${where}: entry ${JSON.stringify(manifest.entry)} could not be imported: ${errorText(error)}`, {
        cause: error,
      });
    }
    let exported = module.default ?? module.plugin;
    if (typeof exported === 'function') {
      try {
        exported = await (exported as (context: PluginContext) => unknown)({ id: manifest.id, config: options.settings[manifest.id] ?? {}, logger: options.logger });
      } catch (error) {
        throw new HostStartError(`${where}: the factory exported by entry ${JSON.stringify(manifest.entry)} failed: ${errorText(error)}`, { cause: error });
      }
    }
    if (typeof exported !== 'object' || exported === null) {
      throw new HostStartError(`${where}: entry ${JSON.stringify(manifest.entry)} must export the plugin object (or a function returning it) as default or as "plugin"`);
    }
    loaded.push(adaptPlugin(manifest, plugin.dir, exported as Record<string, unknown>, where));
  }
  return loaded;
}
