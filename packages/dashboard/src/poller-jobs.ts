/** A poller job as the dashboard uses it, read from `host.status().pollers`. */
export interface PollerJobView {
  id: string;
  /** The manifest id of the plugin serving the job's kind. */
  plugin: string;
  /** The scheduler plugin name the job's schedule is registered under (`poller:<plugin>`), when the host says. */
  schedulePlugin: string | undefined;
  /** The metrics of the job's last tick that returned some. */
  metrics: Record<string, number> | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numbers(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])));
}

/**
 * The jobs of `host.status().pollers` (`{ jobs: [...] }`, as `@belfry/host`
 * reports them, or a bare list); a job's metrics come from `lastMetrics`,
 * `lastTick.metrics` or `metrics`. Anything unreadable is left out.
 */
export function pollerJobs(pollers: unknown): PollerJobView[] {
  const jobs = Array.isArray(pollers) ? pollers : (pollers as { jobs?: unknown } | null | undefined)?.jobs;
  if (!Array.isArray(jobs)) return [];
  return jobs.flatMap((job: Record<string, unknown> | null) => {
    if (typeof job !== 'object' || job === null) return [];
    const id = text(job.id) ?? text(job.job);
    if (id === undefined) return [];
    const metrics = numbers(job.lastMetrics) ?? numbers((job.lastTick as { metrics?: unknown } | null | undefined)?.metrics) ?? numbers(job.metrics);
    return [{ id, plugin: text(job.plugin) ?? text(job.kind) ?? 'unknown', schedulePlugin: text(job.schedulePlugin), metrics }];
  });
}
