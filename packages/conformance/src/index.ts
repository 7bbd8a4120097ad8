export type { Rule } from './core/rule.js';
export type { RuleResult, SuiteReport, ConformanceReport } from './core/report.js';
export type { TestApi } from './core/register-rules.js';
export type { LockingConformance, LockingFactory, LockingCapabilities, LockingTiming } from './locking/locking-conformance.js';
export type { LockingContext } from './locking/locking-context.js';
export { lockingRules } from './locking/locking-rules.js';
export { lockingSuite, runLockingSuite } from './locking/locking-suite.js';
export type { ConformanceTarget } from './target.js';
export { defineConformanceTarget } from './target.js';
export type { StatefulConformance, StatefulFactory, StatefulCapabilities } from './stateful/stateful-conformance.js';
export type { StatefulContext } from './stateful/stateful-context.js';
export { statefulRules } from './stateful/stateful-rules.js';
export { statefulSuite, runStatefulSuite } from './stateful/stateful-suite.js';
export type {
  SnapshotStoreLike,
  FencedSnapshotStoreLike,
  SnapshotStoreConformance,
  SnapshotStoreFactory,
  SnapshotStoreCapabilities,
} from './snapshot-store/snapshot-store-conformance.js';
export type { SnapshotStoreContext } from './snapshot-store/snapshot-store-context.js';
export { snapshotStoreRules } from './snapshot-store/snapshot-store-rules.js';
export { snapshotStoreSuite, runSnapshotStoreSuite } from './snapshot-store/snapshot-store-suite.js';
export type {
  ScheduledConformance,
  ScheduledFactory,
  ScheduledCapabilities,
  ScheduleParser,
  ParsedScheduleLike,
} from './scheduled/scheduled-conformance.js';
export type { ScheduledContext } from './scheduled/scheduled-context.js';
export { scheduledPluginRules } from './scheduled/scheduled-rules.js';
export { scheduledPluginSuite, runScheduledPluginSuite } from './scheduled/scheduled-suite.js';
export type { CursorStoreConformance, CursorStoreFactory, CursorStoreCapabilities } from './cursor-store/cursor-store-conformance.js';
export type { CursorStoreContext } from './cursor-store/cursor-store-context.js';
export { cursorStoreRules } from './cursor-store/cursor-store-rules.js';
export { cursorStoreSuite, runCursorStoreSuite } from './cursor-store/cursor-store-suite.js';
export type { PollerConformance, PollerTickInput, PollerSlowTick } from './poller/poller-conformance.js';
export type { PollerContext } from './poller/poller-context.js';
export type { PollerManifest } from './poller/poller-manifest.js';
export type { PollerSession, RpcReply, SessionExit } from './poller/poller-session.js';
export { pollerRules } from './poller/poller-rules.js';
export { pollerSuite, runPollerSuite } from './poller/poller-suite.js';
export type { ClusterStoreFactory, ClusterStoreConformance } from './cluster-store/cluster-store-factory.js';
export type { ClusterStoreContext } from './cluster-store/cluster-store-context.js';
export type { RunHistoryFactory, RunHistoryConformance } from './cluster-store/run-history-conformance.js';
export type { PresenceFactory, PresenceConformance } from './cluster-store/presence-conformance.js';
export type { ControlFactory, ControlConformance } from './cluster-store/control-conformance.js';
export type { RunHistoryContext } from './cluster-store/run-history-context.js';
export type { PresenceContext } from './cluster-store/presence-context.js';
export type { ControlContext } from './cluster-store/control-context.js';
export {
  historyRules,
  presenceRules,
  controlRules,
  historySuite,
  runHistorySuite,
  presenceSuite,
  runPresenceSuite,
  controlSuite,
  runControlSuite,
} from './cluster-store/cluster-store-suites.js';
