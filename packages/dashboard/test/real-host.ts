import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BelfryHost } from '@belfry/host';
import { ManualClock } from '@belfry/scheduler-core';

/** A round start time, so occurrences fall on whole intervals. */
export const START = Math.ceil(Date.now() / 60_000) * 60_000;

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** `plugin.toml` of a scheduled plugin. */
function manifest(id: string, capabilities: string[], schedules: string): string {
  return `[plugin]
id = "${id}"
name = "${id}"
version = "1.2.3"
entry = "./index.mjs"
api_version = "^1.0"
capabilities = [${capabilities.map((c) => `"${c}"`).join(', ')}]
${schedules}`;
}

/**
 * Plugins the dashboard tests run: `ticker` succeeds every 10 s under the
 * global lock (with a fence), `flaky` fails every 20 s, `keeper` is stateful
 * with lifecycle hooks.
 */
const PLUGINS: Record<string, { toml: string; entry: string }> = {
  ticker: {
    toml: manifest('ticker', ['scheduled'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\n'),
    entry: 'export default { async run() {} };',
  },
  flaky: {
    toml: manifest('flaky', ['scheduled'], '[[plugin.schedules]]\nid = "fail"\ncron = "20s"\nlocking = "node_local"\n'),
    entry: 'export default { async run() { throw new Error("upstream said no"); } };',
  },
  keeper: {
    toml: manifest('keeper', ['stateful', 'lifecycle'], ''),
    entry: `export default {
  snapshot() { return { version: 1, bytes: new TextEncoder().encode('1') }; },
  restoreSnapshot() {},
  onServerStart() {},
};`,
  },
};

/** A started host on a ManualClock with the test plugins; stop it with `host.stop({ graceMs: 0 })`. */
export async function startTestHost(nodeId = 'node-a'): Promise<{ host: BelfryHost; clock: ManualClock }> {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-dashboard-'));
  mkdirSync(join(dir, 'plugins'));
  for (const [name, plugin] of Object.entries(PLUGINS)) {
    mkdirSync(join(dir, 'plugins', name));
    writeFileSync(join(dir, 'plugins', name, 'plugin.toml'), plugin.toml);
    writeFileSync(join(dir, 'plugins', name, 'index.mjs'), plugin.entry);
  }
  const file = join(dir, 'belfry.config.toml');
  writeFileSync(file, `[host]\nsnapshot_interval_ms = 0\nnode_id = "${nodeId}"\n`);
  const clock = new ManualClock(START);
  const host = await BelfryHost.start({ file, env: {}, clock, logger: quiet });
  return { host, clock };
}
