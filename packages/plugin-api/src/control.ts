/**
 * What can be paused across the cluster: one schedule of a plugin, or one
 * poller job (by its `[[pollers]]` id).
 */
export type ControlTarget = { kind: 'schedule'; plugin: string; scheduleId: string } | { kind: 'poller_job'; jobId: string };

/** The kinds of {@link ControlTarget}. */
export const CONTROL_TARGET_KINDS = ['schedule', 'poller_job'] as const;

/** Who paused, and why; shown to operators. */
export interface PauseOptions {
  /** Who paused it (an operator's name, a node id), 1–256 characters. */
  by?: string;
  /** Why, up to 1,024 characters. */
  reason?: string;
}

/** One paused target. Plain JSON; absent options stay absent. */
export interface PausedTarget {
  target: ControlTarget;
  by?: string;
  reason?: string;
  /** When it was (last) paused, by the store's clock, ms since the epoch. */
  pausedAt: number;
}

/** Told the whole paused list whenever it may have changed. */
export type ControlListener = (paused: PausedTarget[]) => void;

/**
 * Cluster-wide pause and resume. A pause set through any node is honoured
 * by every node: each node watches the list and skips firings of paused
 * targets (the scheduler's `paused` skip reason).
 *
 * Delivery to watchers is state-based, so it survives lost notifications:
 * - a new watcher is called with the current list soon after `watch`;
 * - after any change through any instance sharing the store, every watcher
 *   is called with a list that includes it within the implementation's
 *   stated bound (push where the server offers it — Redis pub/sub,
 *   PostgreSQL LISTEN/NOTIFY — with a periodic re-read as a backstop);
 * - a watcher may be called again with an unchanged list, but never with an
 *   older list after a newer one; calls to one watcher never overlap;
 * - a watcher that throws is not unsubscribed, and after unsubscribe it is
 *   never called again.
 *
 * Pausing a paused target replaces its `by`, `reason` and `pausedAt`;
 * resuming a target that is not paused is not an error. Bad arguments
 * reject (or, for `watch`, throw) with `invalid_argument` naming the value
 * and where.
 */
export interface Control {
  /** Pauses `target` on every node. */
  pause(target: ControlTarget, options?: PauseOptions): Promise<void>;
  /** Lets `target` run again on every node. */
  resume(target: ControlTarget): Promise<void>;
  /**
   * Every paused target, sorted by kind, then plugin and schedule id, or
   * job id (comparing strings by UTF-16 code units, as JavaScript does):
   * poller jobs come before schedules.
   */
  paused(): Promise<PausedTarget[]>;
  /** Calls `listener` with the paused list now and after each change; returns the function that stops it. */
  watch(listener: ControlListener): () => void;
}
