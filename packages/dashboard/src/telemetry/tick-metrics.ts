import { Gauge, type Registry } from 'prom-client';
import { pollerJobs } from '../poller-jobs.js';

/** Most distinct metric names kept per job: names come from plugin code, and a registry must not grow without bound. */
const MAX_NAMES_PER_JOB = 32;

/**
 * `belfry_tick_metric{plugin, schedule, metric}`: each poller job's last
 * reported tick metrics, read when scraped. `plugin` and `schedule` are the
 * labels the job's runs carry (`poller:<plugin>` and the job id), so the
 * metrics line up with `belfry_runs_total` of the same job.
 */
export function registerTickMetrics(registry: Registry, readPollers: () => unknown): void {
  new Gauge({
    name: 'belfry_tick_metric',
    help: 'The last value a poller job reported for each of its tick metrics (schedule is the job id).',
    labelNames: ['plugin', 'schedule', 'metric'],
    registers: [registry],
    collect() {
      this.reset();
      for (const job of pollerJobs(readPollers())) {
        for (const [metric, value] of Object.entries(job.metrics ?? {}).slice(0, MAX_NAMES_PER_JOB)) {
          this.set({ plugin: job.schedulePlugin ?? job.plugin, schedule: job.id, metric }, value);
        }
      }
    },
  });
}
