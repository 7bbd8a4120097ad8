import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds; from a quick job to one that runs for minutes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Seconds a firing started after its nominal time: timer precision, jitter, lock round trips, a busy loop. */
const LATENESS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The scheduler's run metrics. Labels are the plugin and schedule (and the
 * outcome or skip reason) only — never an occurrence, fence or run id, whose
 * values grow without bound and would grow the registry with them.
 */
export class RunMetrics {
  readonly runs: Counter<'plugin' | 'schedule' | 'outcome'>;
  readonly skips: Counter<'plugin' | 'schedule' | 'reason'>;
  readonly dropped: Counter<'plugin' | 'schedule'>;
  readonly duration: Histogram<'plugin' | 'schedule' | 'outcome'>;
  readonly lateness: Histogram<'plugin' | 'schedule'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.runs = new Counter({ name: 'belfry_runs_total', help: 'Runs finished on this node, by outcome (success or error).', labelNames: ['plugin', 'schedule', 'outcome'], registers });
    this.skips = new Counter({
      name: 'belfry_skips_total',
      help: 'Firings this node did not run, by reason (overlap, lock_contended, lock_error, paused, already_ran, missed, stopped).',
      labelNames: ['plugin', 'schedule', 'reason'],
      registers,
    });
    this.dropped = new Counter({ name: 'belfry_runs_dropped_total', help: 'Missed occurrences beyond the catch-up limit that will not run.', labelNames: ['plugin', 'schedule'], registers });
    this.duration = new Histogram({
      name: 'belfry_run_duration_seconds',
      help: 'How long runs took, in seconds, by outcome.',
      labelNames: ['plugin', 'schedule', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.lateness = new Histogram({
      name: 'belfry_firing_lateness_seconds',
      help: 'How long after its nominal time a scheduled run started, in seconds (catch-up and manual runs excluded).',
      labelNames: ['plugin', 'schedule'],
      buckets: LATENESS_BUCKETS,
      registers,
    });
  }
}
