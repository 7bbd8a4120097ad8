import type { LockingHint } from './scheduled.js';

/**
 * How a run ended, in the scheduler's vocabulary: `success` (resolved),
 * `error` (threw, rejected, timed out or lost its lock), `skipped` (the
 * firing was not run; see {@link RunRecordSkipReason}).
 */
export const RUN_RECORD_OUTCOMES = ['success', 'error', 'skipped'] as const;
export type RunRecordOutcome = (typeof RUN_RECORD_OUTCOMES)[number];

/**
 * Why a firing was not run, as the scheduler's `run:skip` event says it:
 * `overlap`, `lock_contended`, `lock_error`, `paused`, `already_ran`,
 * `missed`, `stopped`.
 */
export const RUN_RECORD_SKIP_REASONS = ['overlap', 'lock_contended', 'lock_error', 'paused', 'already_ran', 'missed', 'stopped'] as const;
export type RunRecordSkipReason = (typeof RUN_RECORD_SKIP_REASONS)[number];

/**
 * One firing of a schedule or poller tick as the run history keeps it.
 * Plain JSON: optional fields are absent, never `null` or `undefined`.
 */
export interface RunRecord {
  /**
   * Unique id of this run record: 1–128 printable ASCII characters
   * (`!`…`~`, no spaces). Minted once per run (e.g. `randomUUID()`), so
   * appending the same record again — a retry after a lost reply — stores it
   * once. Runs started in the same millisecond are ordered by id.
   */
  id: string;
  /** Plugin name. */
  plugin: string;
  /** Schedule id within the plugin (for a poller tick, the job id). */
  scheduleId: string;
  /** Nominal firing time of the occurrence, ms since the epoch; with plugin and scheduleId it names the occurrence. */
  scheduledAt: number;
  /** The node that ran, or skipped, the firing. */
  nodeId: string;
  /** The schedule's locking hint. */
  locking: LockingHint;
  outcome: RunRecordOutcome;
  /** Why the firing was not run; present exactly when `outcome` is `skipped`. */
  skipReason?: RunRecordSkipReason;
  /** When the run started (for a skip, when it was decided), ms since the epoch. Orders the history. */
  startedAt: number;
  /** How long the run took, in ms (0 for a skip). */
  durationMs: number;
  /** The fencing token of the run's lock, when it held one. */
  fence?: number;
  /** True for a catch-up run of a missed occurrence. */
  isCatchup: boolean;
  /** True for a run started by hand (`trigger()`, "run now"). */
  manual: boolean;
  /** The error's message text; only for `error`, and for skips caused by an error (`lock_error`). */
  error?: string;
  /** Tick metrics: finite numbers by name. */
  metrics?: Record<string, number>;
}

/** Which runs {@link RunHistory.query} returns; every given filter must match. */
export interface RunHistoryQuery {
  plugin?: string;
  scheduleId?: string;
  outcome?: RunRecordOutcome;
  nodeId?: string;
  /** The `next` of the previous page: continue after the last run it returned. */
  before?: string;
  /** Most runs in the page: an integer from 1 to {@link RUN_HISTORY_MAX_LIMIT}. */
  limit: number;
}

/** One page of history, newest first. */
export interface RunHistoryPage {
  runs: RunRecord[];
  /** Opaque cursor for the next (older) page, or `null` when there are no older matching runs. */
  next: string | null;
}

/** The largest `limit` a query may ask for. */
export const RUN_HISTORY_MAX_LIMIT = 1000;

/** Retention of a run history; every implementation accepts these options. */
export interface RunHistoryOptions {
  /** Most runs kept in total; appending beyond it drops the oldest. Default {@link RUN_HISTORY_DEFAULTS}.maxRuns. */
  maxRuns?: number;
  /** Runs whose `startedAt` is older than this, by the store's clock, are gone. Default 7 days. */
  maxAgeMs?: number;
}

/** Default retention: 10,000 runs, 7 days. */
export const RUN_HISTORY_DEFAULTS: Readonly<Required<RunHistoryOptions>> = Object.freeze({ maxRuns: 10_000, maxAgeMs: 7 * 24 * 60 * 60 * 1000 });

/**
 * The cluster's record of runs, for dashboards and operators. Every node
 * appends the runs it fired; any node can page through all of them.
 *
 * - Order: newest first by `startedAt`, then by `id` (descending, compared
 *   character by character, as bytes are in ASCII).
 * - Idempotent: a record whose `id` is already stored is ignored (the first
 *   one stays), so retrying an append never duplicates a run.
 * - Retention is the store's own job: after an append resolves, no query
 *   returns more than `maxRuns` runs in total (the oldest are dropped), and
 *   no query ever returns a run whose `startedAt` is more than `maxAgeMs`
 *   before the store's clock.
 * - Paging: following `next` until it is `null` returns every matching run
 *   exactly once, without gaps or repeats, while appends go on (runs newer
 *   than the first page are not part of it).
 * - Bad arguments reject with `invalid_argument` naming the value and where;
 *   a rejected append stores none of its runs.
 */
export interface RunHistory {
  /** Stores `runs` (any order, possibly empty) as one batch. */
  append(runs: readonly RunRecord[]): Promise<void>;
  /** The newest matching runs, up to `limit`, after `before` when given. */
  query(query: RunHistoryQuery): Promise<RunHistoryPage>;
}
