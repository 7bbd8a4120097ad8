// `pnpm conformance` checks the demo's scheduled plugins as the host loads them:
// manifests validated, entries imported, schedules taken from plugin.toml.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverPlugins, loadPlugins } from '@belfry/host';

const here = dirname(fileURLToPath(import.meta.url));
const quiet = { info() {}, warn() {}, error() {} };
const plugins = await loadPlugins(discoverPlugins(join(here, 'plugins')), { baseDir: here, settings: {}, logger: quiet });

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default plugins
  .filter((plugin) => plugin.scheduled !== undefined)
  .map((plugin) => ({
    name: `demo plugin ${plugin.id}`,
    scheduledPlugin: { factory: { create: () => plugin.scheduled }, capabilities: { runs: true } },
  }));
