import type { Clock, LockingHint, LockingPlugin, Logger, MissedRunPolicy } from '@belfry/plugin-api';

/** Levels of the default console logger, most verbose first; `silent` prints nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Options of `new Scheduler(...)`. Every field is optional. */
export interface SchedulerOptions {
  /** Distributed lock backend for `require_global` / `prefer_global` schedules. Default: none (runs are node-local; `require_global` schedules log one warning). */
  locking?: LockingPlugin;
  /** Source of time and timers. Default: `systemClock`. Pass a `ManualClock` in tests. */
  clock?: Clock;
  /**
   * Where debug lines, warnings and run failures are logged. Default: the
   * console at `logLevel`. A logger passed here receives every level and
   * does its own filtering.
   */
  logger?: Logger;
  /**
   * Least severe level the default console logger prints: `'debug'`,
   * `'info'`, `'warn'`, `'error'` or `'silent'`. Default: the
   * `BELFRY_LOG_LEVEL` environment variable, else `'info'` — so debug lines
   * (such as `Firing skipped … lock_contended` on every node that lost a
   * lock race) print only when asked for. Ignored when `logger` is given.
   */
  logLevel?: LogLevel;
  /** This node's name in events and status. Default: `<hostname>:<pid>`. */
  nodeId?: string;
  /** Largest clock difference between nodes, in ms, that exactly-once firing must survive. Default 5000. */
  skewToleranceMs?: number;
  /** Lifetime in ms of the lock taken for a run; renewed every third of it while the run lasts. Default 30000. */
  lockTtlMs?: number;
  /** A firing up to this many ms late is an ordinary late run; later, it counts as missed. Default 60000. */
  missedRunGraceMs?: number;
  /** Most catch-up runs one `run_all` schedule makes after an outage; older missed occurrences are reported as dropped. Default 100. */
  maxCatchupRuns?: number;
  /** Window in ms over which catch-up runs found together are spread, lower priority values first. Default 10000. */
  catchupSpreadMs?: number;
  /** Largest wait in ms between checks of the clock, so jumps and suspensions are noticed. Default 30000. */
  maxTimerDelayMs?: number;
  /** The scheduler's id as a `StatefulPlugin`. Default `'belfry.scheduler'`. */
  stateId?: string;
}

/** Who a plugin runs for, copied into every `ScheduledRunCtx`. */
export interface RegisterScope {
  /** Tenant the plugin belongs to, when the host is multi-tenant. */
  tenantId?: string;
  /** Site the plugin belongs to, when the host serves several sites. */
  siteId?: string;
}

/**
 * Why a firing did not run: `overlap` (previous run still going here),
 * `lock_contended` (another node holds the occurrence), `lock_error`
 * (backend failed), `paused`, `already_ran` (a catch-up whose occurrence
 * another node already ran), `missed` (policy `skip`, or a catch-up too late
 * to be safe), `stopped` (the scheduler stopped while taking the lock).
 */
export type SkipReason =
  | 'overlap'
  | 'lock_contended'
  | 'lock_error'
  | 'paused'
  | 'already_ran'
  | 'missed'
  | 'stopped';

/** A failure as plain data, so events can cross process boundaries. */
export interface ErrorInfo {
  /** The error's class name, e.g. `'TypeError'`. */
  name: string;
  /** The error's message. */
  message: string;
  /** The error's `code`, when it has a string one. */
  code?: string;
}

/** Fields every scheduler event carries. */
export interface RunEventBase {
  /** Plugin name. */
  plugin: string;
  /** Schedule id within the plugin. */
  scheduleId: string;
  /** Nominal firing time of the occurrence, ms since the epoch. */
  scheduledAt: number;
  /** The node that emitted the event. */
  nodeId: string;
  /** True for catch-up runs of missed occurrences. */
  isCatchup: boolean;
  /** True for runs started by `trigger()`. */
  manual: boolean;
}

/** The events `Scheduler.on` delivers, by name. All payloads are plain JSON data. */
export interface SchedulerEvents {
  /** A run is about to call the plugin. */
  'run:start': RunEventBase & {
    startedAt: number;
    fence?: number;
    /** For a run that took the occurrence's lock: how long the lock backend took to answer, in ms. */
    lockWaitMs?: number;
  };
  /** A run resolved. */
  'run:success': RunEventBase & { startedAt: number; durationMs: number };
  /** A run threw, rejected, timed out or lost its lock. */
  'run:error': RunEventBase & { startedAt: number; durationMs: number; error: ErrorInfo };
  /** A firing was not run. `missedCount` is set for `missed`. */
  'run:skip': RunEventBase & {
    reason: SkipReason;
    missedCount?: number;
    error?: ErrorInfo;
    /** For `lock_contended` and `already_ran`: how long the lock backend took to say another node holds the occurrence, in ms. */
    lockWaitMs?: number;
  };
  /**
   * Missed occurrences beyond `maxCatchupRuns` that a `run_all` schedule
   * will not run. `scheduledAt` is the newest dropped one.
   */
  'run:dropped': RunEventBase & { count: number; countIsLowerBound: boolean; oldestScheduledAt: number };
}

/** The name of a scheduler event. */
export type SchedulerEventName = keyof SchedulerEvents;

/** A listener for one event. */
export type SchedulerListener<E extends SchedulerEventName> = (event: SchedulerEvents[E]) => void;

/** The outcome of the last run, or of a `trigger()`. */
export type RunOutcome = 'success' | 'error' | 'skipped';

/** One schedule's state, as `status()` reports it. */
export interface ScheduleStatus {
  /** Plugin name. */
  plugin: string;
  /** Schedule id within the plugin. */
  scheduleId: string;
  /** The schedule's description, when it declares one. */
  description?: string;
  /** The schedule expression as declared. */
  expression: string;
  /** The zone cron fields are read in (`'UTC'` unless declared). */
  timezone: string;
  /** The hint as declared (default applied). */
  locking: LockingHint;
  /** Whether runs take the global lock on this node (a backend is configured and the hint asks for it). */
  locked: boolean;
  /** The missed-run policy (default applied). */
  missedRunPolicy: MissedRunPolicy;
  /** The plugin's priority (default 1000). */
  priority: number;
  /** Firings are being skipped as `paused`. */
  paused: boolean;
  /** A run of this schedule is executing on this node. */
  running: boolean;
  /** Nominal time of the next occurrence, or null when there is none (or the scheduler is not started). */
  nextRunAt: number | null;
  /** Nominal time of the last occurrence this node handled (ran, skipped or found run elsewhere). */
  lastScheduledAt: number | null;
  /** When the last run on this node started. */
  lastRunAt: number | null;
  /** When the last run on this node finished. */
  lastFinishedAt: number | null;
  /** Outcome of the last firing handled here: ran successfully, failed, or skipped. */
  lastOutcome: RunOutcome | null;
  /** Duration of the last run on this node, in ms. */
  lastDurationMs: number | null;
  /** The error of the last failed run on this node. */
  lastError: ErrorInfo | null;
  /** Why the last skipped firing was skipped. */
  lastSkipReason: SkipReason | null;
  /** Runs started on this node since this scheduler was created. */
  runCount: number;
  /** Failed runs on this node since this scheduler was created. */
  errorCount: number;
  /** Missed occurrences dropped beyond `maxCatchupRuns`, summed. */
  droppedCount: number;
}

/** What `status()` returns. */
export interface SchedulerStatus {
  /** This node's id. */
  nodeId: string;
  /** `'idle'` before start, `'running'`, `'stopping'`, `'stopped'`. */
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  /** Name of the lock backend, or null when none is configured. */
  locking: string | null;
  /** Every registered schedule, in registration order. */
  schedules: ScheduleStatus[];
}

/** Options of `Scheduler.stop`. */
export interface StopOptions {
  /** How long running runs may finish on their own before their signal is aborted, in ms; 0 aborts at once. Default 10000. */
  graceMs?: number;
}
