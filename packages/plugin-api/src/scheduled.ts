import type { JsonValue } from './json-value.js';

/**
 * What to do about occurrences that passed while no node was running the
 * schedule. Default `'run_once'`.
 * - `run_once`: one catch-up run for the latest missed occurrence.
 * - `skip`: no catch-up; wait for the next occurrence.
 * - `run_all`: every missed occurrence in order, up to the scheduler's cap.
 */
export const MISSED_RUN_POLICIES = ['run_once', 'skip', 'run_all'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/**
 * Where a schedule runs. Default `'require_global'`.
 * - `node_local`: on every node, never locked.
 * - `require_global`: on exactly one node per occurrence; skipped when the
 *   lock is held elsewhere or the backend fails.
 * - `prefer_global`: like `require_global` when a lock backend is
 *   configured, like `node_local` otherwise.
 */
export const LOCKING_HINTS = ['node_local', 'require_global', 'prefer_global'] as const;
export type LockingHint = (typeof LOCKING_HINTS)[number];

/** One recurring job a plugin declares. Plain data. */
export interface Schedule {
  /** Unique within the plugin and stable across restarts; part of the lock key and of metrics labels. */
  id: string;
  /** Human-readable purpose, shown on dashboards. Optional. */
  description?: string;
  /**
   * Schedule expression: an interval (`30s`, `1h30m`), 5- or 6-field cron, or a shortcut (`@hourly`).
   * Exactly one of `cron` and `at` is given.
   */
  cron?: string;
  /** One-shot: an ISO 8601 instant with an offset (`2026-12-01T09:00:00Z`); fires once. Exclusive with `cron`. */
  at?: string;
  /** IANA time zone cron fields are read in, e.g. `Europe/Berlin`. Default `UTC`; ignored by intervals. */
  timezone?: string;
  /** Largest random delay added to each firing, in ms. Default 0. Never changes which occurrence runs. */
  jitterMs?: number;
  /** Catch-up behaviour for occurrences missed while down. Default `'run_once'`. */
  missedRunPolicy?: MissedRunPolicy;
  /** Cluster-wide exclusivity. Default `'require_global'`. */
  locking?: LockingHint;
  /** Run deadline in ms after the run starts; `ctx.signal` aborts when it passes. Default: none. */
  timeoutMs?: number;
  /** Opaque per-schedule parameters handed back to the plugin unchanged. Default: none. */
  config?: JsonValue;
}

/** What a plugin's `run` is told about the firing it is executing. */
export interface ScheduledRunCtx {
  /** The `Schedule.id` that fired. */
  scheduleId: string;
  /** Nominal firing time in ms since the epoch; for a catch-up run, the missed occurrence's time. */
  scheduledAt: number;
  /** 1 for the first run of this schedule since the scheduler started, then 2, 3, … */
  runCount: number;
  /** True when this run makes up for an occurrence missed while no node ran it. */
  isCatchup: boolean;
  /** Tenant the plugin was registered for, when the host is multi-tenant. */
  tenantId?: string;
  /** Site the plugin was registered for, when the host serves several sites. */
  siteId?: string;
  /** Fencing token of the global lock held for this run, when one is held; pass it to storage that checks fences. */
  fence?: number;
  /** Aborted on timeout, on shutdown after the grace period, or when the global lock is lost. */
  signal: AbortSignal;
}

/** A plugin that declares schedules for the host's scheduler to fire. */
export interface ScheduledPlugin {
  /** Stable name across restarts and nodes; prefixes lock keys and persisted state. */
  readonly name: string;
  /** Start order among firings due at the same instant; lower starts first. Default 1000. */
  readonly priority?: number;
  /** The plugin's schedules, read once at registration. */
  schedules(): Schedule[] | Promise<Schedule[]>;
  /** Does the work of one firing. Throwing or rejecting records a failed run. */
  run(ctx: ScheduledRunCtx): void | Promise<void>;
  /** Called once when the plugin is unloaded. */
  cleanup?(): void | Promise<void>;
}
