import type { ErrorInfo, RunOutcome, SkipReason } from './scheduler-types.js';

/**
 * What one schedule did on this node. The fields are named as in
 * `ScheduleStatus`, so `status()` copies them all at once.
 */
export class ScheduleStats {
  lastScheduledAt: number | null = null;
  lastRunAt: number | null = null;
  lastFinishedAt: number | null = null;
  lastOutcome: RunOutcome | null = null;
  lastDurationMs: number | null = null;
  lastError: ErrorInfo | null = null;
  lastSkipReason: SkipReason | null = null;
  runCount = 0;
  errorCount = 0;
  droppedCount = 0;

  /** A run starts; returns its number, counted from 1. */
  started(at: number): number {
    this.runCount += 1;
    this.lastRunAt = at;
    return this.runCount;
  }

  finished(at: number, durationMs: number, error: ErrorInfo | null): void {
    this.lastFinishedAt = at;
    this.lastDurationMs = durationMs;
    if (error === null) {
      this.lastOutcome = 'success';
      return;
    }
    this.errorCount += 1;
    this.lastOutcome = 'error';
    this.lastError = error;
  }

  /** A firing was not run; a skipped `trigger()` leaves the last timetable outcome as it was. */
  skipped(reason: SkipReason, { manual }: { manual: boolean }): void {
    this.lastSkipReason = reason;
    if (!manual) this.lastOutcome = 'skipped';
  }

  /** Plain data in the shape of the matching `ScheduleStatus` fields. */
  view(): Pick<ScheduleStats, 'lastScheduledAt' | 'lastRunAt' | 'lastFinishedAt' | 'lastOutcome' | 'lastDurationMs' | 'lastError' | 'lastSkipReason' | 'runCount' | 'errorCount' | 'droppedCount'> {
    return { ...this };
  }
}
