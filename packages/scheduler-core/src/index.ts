export { parseSchedule } from './parse-schedule.js';
export { parseOneShot } from './parse-one-shot.js';
export type { ParsedSchedule, ParseScheduleOptions, ScheduleKind } from './parsed-schedule.js';
export { ManualClock } from './manual-clock.js';
export { Scheduler } from './scheduler.js';
export type {
  ErrorInfo,
  LogLevel,
  RegisterScope,
  RunEventBase,
  RunOutcome,
  ScheduleStatus,
  SchedulerEventName,
  SchedulerEvents,
  SchedulerListener,
  SchedulerOptions,
  SchedulerStatus,
  SkipReason,
  StopOptions,
} from './scheduler-types.js';
export { encodeSchedulerState } from './encode-scheduler-state.js';
export { decodeSchedulerState } from './decode-scheduler-state.js';
export { SCHEDULER_STATE_VERSION, type PersistedScheduleState } from './persisted-schedule-state.js';
