import { CATCHUP, SCHEDULED, type Firing } from './firing.js';
import { jitterFor } from './jitter-for.js';
import type { Plan } from './plan-occurrences.js';
import type { ScheduleEntry } from './schedule-entry.js';

/** The firings a plan asks for. */
export interface PlannedFirings {
  /** Catch-ups to spread (with `spreadCatchups`), then the on-time run when it must wait behind them. */
  catchups: Firing[];
  /** The on-time run with its start time (nominal time plus jitter, never before now), when it runs on its own. */
  onTime: Firing | null;
}

/** Turns one schedule's plan into firings. Pure: the caller queues them and reports skips. */
export function planFirings(entry: ScheduleEntry, plan: Plan, now: number, epoch: number): PlannedFirings {
  const firing = (scheduledAt: number, kind: 'scheduled' | 'catchup'): Firing => ({
    type: 'run',
    entry,
    scheduledAt,
    fireAt: now,
    origin: kind === 'catchup' ? CATCHUP : SCHEDULED,
    waits: kind === 'catchup',
    epoch,
  });
  const catchups = plan.catchups.map((scheduledAt) => firing(scheduledAt, 'catchup'));
  if (plan.onTime === null) return { catchups, onTime: null };
  const onTime = firing(plan.onTime, 'scheduled');
  if (catchups.length > 0) {
    // Behind a run_all backlog, the on-time run goes last, in order, rather than overtaking it.
    onTime.waits = true;
    catchups.push(onTime);
    return { catchups, onTime: null };
  }
  onTime.fireAt = Math.max(now, plan.onTime + jitterFor(entry.pluginName, entry.id, plan.onTime, entry.jitterMs));
  return { catchups, onTime };
}
