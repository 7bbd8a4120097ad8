/** Format version of the scheduler's snapshot bytes. */
export const SCHEDULER_STATE_VERSION = 1;

/** What survives a restart for one schedule. */
export interface PersistedScheduleState {
  plugin: string;
  scheduleId: string;
  /** Expression and zone the watermark was computed with; a changed schedule starts afresh. */
  expression: string;
  timezone: string;
  /** Every occurrence at or before this time (ms) was handled. */
  handledThrough: number;
  /** Nominal time of the last occurrence handled, if any. */
  lastScheduledAt: number | null;
}
