import type { Logger } from '@belfry/plugin-api';
import { errorDetails } from '@belfry/internal';
import type { Firing } from './firing.js';
import type { Plan } from './plan-occurrences.js';
import type { ScheduleEntry } from './schedule-entry.js';
import { SchedulerEmitter } from './scheduler-emitter.js';
import type { ErrorInfo, RunEventBase, SkipReason } from './scheduler-types.js';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What happened to a firing, told to its schedule's stats, to event listeners and to the log. */
export class RunReporter {
  readonly events: SchedulerEmitter;

  constructor(
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {
    this.events = new SchedulerEmitter((event, error) => {
      this.log('warn', `A ${event} listener threw; other listeners still run`, { error: errorDetails(error) });
    });
  }

  /** A logger that throws must not take a run or the timer down with it. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    try {
      this.logger[level]?.(message, fields);
    } catch {
      // Nothing sensible is left to report it to.
    }
  }

  base(firing: Pick<Firing, 'entry' | 'scheduledAt' | 'origin'>): RunEventBase {
    const { entry, scheduledAt, origin } = firing;
    return {
      plugin: entry.pluginName,
      scheduleId: entry.id,
      scheduledAt,
      nodeId: this.nodeId,
      isCatchup: origin.kind === 'catchup',
      manual: origin.kind === 'manual',
    };
  }

  skipped(firing: Firing, reason: SkipReason, extra: { missedCount?: number; error?: ErrorInfo; lockWaitMs?: number | undefined } = {}): void {
    firing.entry.stats.skipped(reason, { manual: firing.origin.kind === 'manual' });
    if (this.events.listening('run:skip')) {
      const { lockWaitMs, ...rest } = extra;
      this.events.emit('run:skip', { ...this.base(firing), reason, ...rest, ...(lockWaitMs === undefined ? {} : { lockWaitMs }) });
    }
    this.log('debug', 'Firing skipped', { plugin: firing.entry.pluginName, scheduleId: firing.entry.id, reason });
  }

  dropped(entry: ScheduleEntry, dropped: NonNullable<Plan['dropped']>, maxCatchupRuns: number): void {
    const { count, countIsLowerBound, oldest, newest } = dropped;
    entry.stats.droppedCount += count;
    if (this.events.listening('run:dropped')) {
      const base = this.base({ entry, scheduledAt: newest, origin: { kind: 'catchup' } });
      this.events.emit('run:dropped', { ...base, count, countIsLowerBound, oldestScheduledAt: oldest });
    }
    this.log('warn', 'Missed occurrences beyond the catch-up limit were dropped', {
      plugin: entry.pluginName,
      scheduleId: entry.id,
      count,
      maxCatchupRuns,
    });
  }
}
