import { Gauge, type Registry } from 'prom-client';

/** Most distinct metric names kept per job: names come from plugin code, and a registry must not grow without bound. */
const MAX_NAMES_PER_JOB = 32;

interface TickMetricRow {
  plugin: string;
  schedule: string;
  metrics: Record<string, number>;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numbers(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])));
}

/**
 * The last tick metrics of every poller job in `host.status().pollers`
 * (`{ jobs: [...] }` or a list of jobs; a job's metrics in `lastTick.metrics`
 * or `metrics`). Anything else there is ignored.
 */
function tickMetricRows(pollers: unknown): TickMetricRow[] {
  const jobs = Array.isArray(pollers) ? pollers : (pollers as { jobs?: unknown } | undefined)?.jobs;
  if (!Array.isArray(jobs)) return [];
  return jobs.flatMap((job: Record<string, unknown> | null) => {
    if (typeof job !== 'object' || job === null) return [];
    const schedule = text(job.id) ?? text(job.job);
    const metrics = numbers((job.lastTick as { metrics?: unknown } | undefined)?.metrics) ?? numbers(job.metrics);
    if (schedule === undefined || metrics === undefined) return [];
    return [{ plugin: text(job.plugin) ?? text(job.kind) ?? 'unknown', schedule, metrics }];
  });
}

/** `belfry_tick_metric{plugin, schedule, metric}`: each poller job's last reported tick metrics, read when scraped. */
export function registerTickMetrics(registry: Registry, readPollers: () => unknown): void {
  new Gauge({
    name: 'belfry_tick_metric',
    help: 'The last value a poller job reported for each of its tick metrics (schedule is the job id).',
    labelNames: ['plugin', 'schedule', 'metric'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of tickMetricRows(readPollers())) {
        for (const [metric, value] of Object.entries(row.metrics).slice(0, MAX_NAMES_PER_JOB)) this.set({ plugin: row.plugin, schedule: row.schedule, metric }, value);
      }
    },
  });
}
