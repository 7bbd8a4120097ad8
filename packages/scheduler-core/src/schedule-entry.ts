import type { LockingHint, MissedRunPolicy, Schedule, ScheduledPlugin } from '@belfry/plugin-api';
import type { Firing } from './firing.js';
import type { NormalizedSchedule } from './normalize-schedule.js';
import type { ParsedSchedule } from './parsed-schedule.js';
import { occurrenceLockKeyPrefix } from './occurrence-lock-key.js';
import { scheduleFenceKey } from './schedule-fence-key.js';
import { scheduleKey } from './schedule-key.js';
import { ScheduleStats } from './schedule-stats.js';
import type { RegisterScope, ScheduleStatus } from './scheduler-types.js';

/** What a registered schedule is, fixed at registration. */
export interface ScheduleSpec {
  plugin: ScheduledPlugin;
  pluginName: string;
  priority: number;
  /** Registration order: the last tie-breaker, so equal firings start in a stable order. */
  order: number;
  scope: RegisterScope;
  /** Runs take the global lock: a backend is configured and the hint asks for it. */
  locked: boolean;
  schedule: NormalizedSchedule;
}

/** One registered schedule: its spec, its state on this node, and what it did (`stats`). */
export class ScheduleEntry {
  readonly key: string;
  readonly plugin: ScheduledPlugin;
  readonly pluginName: string;
  readonly id: string;
  readonly declared: Schedule;
  readonly parsed: ParsedSchedule;
  readonly jitterMs: number;
  readonly policy: MissedRunPolicy;
  readonly hint: LockingHint;
  readonly timeoutMs: number | undefined;
  readonly priority: number;
  readonly order: number;
  readonly scope: RegisterScope;
  readonly locked: boolean;
  /** The schedule's fence scope (`scheduleFenceKey`). */
  readonly fenceKey: string;
  /** What its occurrences' lock keys start with (`occurrenceLockKeyPrefix`). */
  readonly lockKeyPrefix: string;

  /** Every occurrence at or before this time has been handled on this node. */
  handledThrough: number | null = null;
  /** Nominal time of the occurrence the timeline is waiting for. */
  pendingAt: number | null = null;
  paused = false;
  running = false;
  /** The run executing is one that waits its turn (a catch-up, or an occurrence that came due while catching up): the schedule is still working off what it owes. */
  catchingUp = false;
  /**
   * Firings waiting for the current run to end, oldest occurrence first:
   * catch-ups, and occurrences that came due while catching up. They run
   * one after another, never skipped as overlap.
   */
  backlog: Firing[] = [];
  readonly stats = new ScheduleStats();

  constructor(spec: ScheduleSpec) {
    const { schedule } = spec;
    this.key = scheduleKey(spec.pluginName, schedule.id);
    this.plugin = spec.plugin;
    this.pluginName = spec.pluginName;
    this.id = schedule.id;
    this.declared = schedule.schedule;
    this.parsed = schedule.parsed;
    this.jitterMs = schedule.jitterMs;
    this.policy = schedule.policy;
    this.hint = schedule.hint;
    this.timeoutMs = schedule.timeoutMs;
    this.priority = spec.priority;
    this.order = spec.order;
    this.scope = { ...spec.scope };
    this.locked = spec.locked;
    this.fenceKey = scheduleFenceKey(spec.pluginName, schedule.id);
    this.lockKeyPrefix = occurrenceLockKeyPrefix(spec.pluginName, schedule.id);
  }

  /** `plugin/schedule`, for log lines. */
  get label(): string {
    return `${this.pluginName}/${this.id}`;
  }

  status(): ScheduleStatus {
    const status: ScheduleStatus = {
      plugin: this.pluginName,
      scheduleId: this.id,
      expression: this.parsed.expression,
      timezone: this.parsed.timezone,
      locking: this.hint,
      locked: this.locked,
      missedRunPolicy: this.policy,
      priority: this.priority,
      paused: this.paused,
      running: this.running,
      nextRunAt: this.pendingAt,
      ...this.stats.view(),
    };
    if (this.declared.description !== undefined) status.description = this.declared.description;
    return status;
  }
}
