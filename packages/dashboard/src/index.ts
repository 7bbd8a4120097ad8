export { createDashboard } from './create-dashboard.js';
export type { Dashboard } from './create-dashboard.js';
export { serveDashboard } from './serve-dashboard.js';
export type { ServeDashboardOptions, ServedDashboard } from './serve-dashboard.js';
export type { DashboardOptions, DashboardClock } from './dashboard-options.js';
export type {
  ClusterControl,
  DashboardErrorInfo,
  DashboardHost,
  DashboardHostStatus,
  DashboardRun,
  DashboardSchedule,
  DashboardScheduler,
  DashboardSchedulerEvents,
  NodePresence,
  ControlTarget,
  PausedTarget,
  PresenceReader,
  RunHistoryReader,
  RunPage,
  RunQuery,
} from './dashboard-types.js';
export type { StatusView, ClusterView } from './status-view.js';
export { instrumentScheduler } from './telemetry/instrument-scheduler.js';
export type { InstrumentSchedulerOptions, SchedulerInstrumentation } from './telemetry/instrument-scheduler.js';
export { SPAN_ATTRIBUTES } from './telemetry/run-spans.js';
