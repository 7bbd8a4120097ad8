import { didYouMean } from '@belfry/internal';
import type { PollerJobSettings } from './host-config.js';
import { HostConfigError } from './host-errors.js';
import type { LoadedPlugin } from './loaded-plugin.js';

/** A plugin with a `[plugin.poller]` section and the jobs of its kinds. */
export interface PollerPluginJobs {
  plugin: LoadedPlugin;
  jobs: PollerJobSettings[];
}

/**
 * Gives each `[[pollers]]` job to the loaded plugin whose `[plugin.poller]`
 * claims its kind (the manifest set check already refused a kind claimed
 * twice). A kind no plugin claims stops the host, naming the job's key,
 * the nearest served kind and the fix. Plugins no job uses are left out.
 */
export function assignPollerJobs(jobs: readonly PollerJobSettings[], plugins: readonly LoadedPlugin[]): PollerPluginJobs[] {
  const owner = new Map<string, LoadedPlugin>();
  for (const plugin of plugins) for (const kind of plugin.manifest.poller?.kinds ?? []) owner.set(kind, plugin);
  const assigned = new Map<LoadedPlugin, PollerJobSettings[]>();
  const seen = new Map<string, string>();
  for (const job of jobs) {
    // Settings built by a caller rather than loadHostConfig may repeat an id; one id is one cursor.
    const earlier = seen.get(job.id);
    if (earlier !== undefined) throw new HostConfigError(`${job.where}.id: job id ${JSON.stringify(job.id)} is already used by ${earlier}. Fix: give each job its own id`);
    seen.set(job.id, job.where);
    const plugin = owner.get(job.kind);
    if (plugin === undefined) throw new HostConfigError(unservedKind(job, [...owner.keys()]));
    assigned.set(plugin, [...(assigned.get(plugin) ?? []), job]);
  }
  return [...assigned].map(([plugin, pluginJobs]) => ({ plugin, jobs: pluginJobs }));
}

function unservedKind(job: PollerJobSettings, served: string[]): string {
  const where = `${job.where}.kind`;
  if (served.length === 0) {
    return `${where}: no loaded plugin serves poller kind ${JSON.stringify(job.kind)}; no loaded plugin declares [plugin.poller]. Fix: add the plugin that serves it to the plugins folder, or remove the job`;
  }
  const suggestion = didYouMean(job.kind, served);
  const hint = suggestion === undefined ? '' : ` did you mean "${suggestion}"?`;
  return `${where}: no loaded plugin serves poller kind ${JSON.stringify(job.kind)};${hint} Fix: set it to one of ${served.join(', ')}, or add the plugin that serves it`;
}
