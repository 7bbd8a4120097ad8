import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway host folder: settings, and one sub-folder per plugin with its plugin.toml and entry. */
export function hostFolder(plugins: Record<string, { toml: string; entry?: string }>, settings = ''): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-host-'));
  mkdirSync(join(dir, 'plugins'));
  for (const [name, plugin] of Object.entries(plugins)) {
    mkdirSync(join(dir, 'plugins', name));
    writeFileSync(join(dir, 'plugins', name, 'plugin.toml'), plugin.toml);
    if (plugin.entry !== undefined) writeFileSync(join(dir, 'plugins', name, 'index.mjs'), plugin.entry);
  }
  const file = join(dir, 'belfry.config.toml');
  writeFileSync(file, `[host]\nsnapshot_interval_ms = 0\n${settings}`);
  return { dir, file };
}

/** A plugin.toml with the given capabilities and extra TOML. */
export function manifest(id: string, capabilities: string[], extra = ''): string {
  return `[plugin]
id = "${id}"
name = "${id}"
version = "1.0.0"
entry = "./index.mjs"
api_version = "^1.0"
capabilities = [${capabilities.map((c) => `"${c}"`).join(', ')}]
${extra}`;
}
