import type { JsonValue } from '@belfry/plugin-api';

/** One firing of a poller job, as the scheduler hands it over. */
export interface TickRequest {
  /** The job's id (`[[pollers]] id`); its cursor is stored under it. */
  job: string;
  /** The kind the job is an instance of; picks the plugin. */
  kind: string;
  /** Nominal firing time, ms since the epoch (`ctx.scheduledAt`). */
  scheduledAt: number;
  /** Default false (`ctx.isCatchup`). */
  isCatchup?: boolean;
  /** Fencing token of the run's global lock (`ctx.fence`); omit when the run holds none. */
  fence?: number;
  /** The job's `config`, plain JSON handed to every tick. Default null. */
  config?: JsonValue;
  /** Aborts the tick (`ctx.signal`): the poller gets `$/cancel` and the outcome is `cancelled`. */
  signal?: AbortSignal;
  /**
   * `--max-old-space-size` (MiB) for this job's process, overriding the
   * plugin's `maxOldSpaceSizeMb`: `ephemeral` plugins with a Node entry only,
   * since a `long_lived` process is shared by every job. 16 to 1048576.
   */
  maxOldSpaceSizeMb?: number;
}

/** How a tick ended. `stale`: the poller answered, but a later run had already saved a cursor, so this one was not stored. */
export type TickOutcome = 'ok' | 'error' | 'timeout' | 'cancelled' | 'stale';

/** What `runTick` resolves with; it never rejects except for invalid arguments. */
export interface TickResult {
  outcome: TickOutcome;
  /** The poller's metrics, when it answered. */
  metrics?: Record<string, number>;
  /** Why the tick did not end `ok`. `code` is stable: poller_tick_failed, poller_protocol, poller_exited (with "ran out of memory" in the message when a Node poller passed its heap limit), poller_start_failed, poller_stopped, poller_timeout, poller_cancelled, cursor_store. */
  error?: { code: string; message: string };
  /** Clock time from the call to the outcome. */
  durationMs: number;
}
