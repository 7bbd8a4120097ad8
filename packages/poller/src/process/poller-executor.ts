import type { TickParams } from '../protocol/messages.js';
import type { ResolvedPlugin } from '../resolved-plugin.js';

/** Settings of the process a tick runs in; only an executor that starts a process per tick can honour them. */
export interface TickProcessOptions {
  /** Overrides the plugin's `--max-old-space-size` for this tick's process. */
  maxOldSpaceSizeMb?: number;
}

/** Runs one plugin's ticks in its process(es), as its lifecycle says. */
export interface PollerExecutor {
  readonly plugin: ResolvedPlugin;
  /** Starts what should run before the first tick (a long-lived process); failures are logged and retried, never thrown. */
  start(): Promise<void>;
  /**
   * Sends one tick and resolves with the poller's raw result. Rejects with a
   * `BelfryError` when the poller fails the tick, exits or cannot start, and
   * with `stop.reason` when `stop` aborts first (deadline or caller).
   */
  tick(params: TickParams, stop: AbortSignal, options?: TickProcessOptions): Promise<unknown>;
  /** Shuts every process down and resolves when none is left. */
  stop(): Promise<void>;
}
