// `pnpm conformance` checks the demo's scheduled plugins as the host loads them:
// manifests validated, entries imported, schedules taken from plugin.toml.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { discoverPlugins, loadPlugins } from '@belfry/host';

const here = dirname(fileURLToPath(import.meta.url));
const quiet = { info() {}, warn() {}, error() {} };
const plugins = await loadPlugins(discoverPlugins(join(here, 'plugins')), { baseDir: here, settings: {}, logger: quiet });

// The parser the host schedules with, so SCHED-004 checks expressions exactly as the host reads them.
const hostRequire = createRequire(createRequire(import.meta.url).resolve('@belfry/host'));
const { parseSchedule } = await import(pathToFileURL(hostRequire.resolve('@belfry/scheduler-core')).href);

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default plugins
  .filter((plugin) => plugin.scheduled !== undefined)
  .map((plugin) => ({
    name: `demo plugin ${plugin.id}`,
    scheduledPlugin: { factory: { create: () => plugin.scheduled }, capabilities: { runs: true }, parseSchedule },
  }));
