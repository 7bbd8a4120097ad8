import type { DashboardHostStatus, DashboardSchedule, NodePresence, PausedTarget } from './dashboard-types.js';

/** A schedule as `/api/status` shows it: the contract's fields plus what the page shows. */
function scheduleView(s: DashboardSchedule) {
  return {
    plugin: s.plugin,
    scheduleId: s.scheduleId,
    description: s.description ?? null,
    expression: s.expression,
    timezone: s.timezone,
    locking: s.locking,
    paused: s.paused,
    running: s.running,
    nextRunAt: s.nextRunAt,
    lastRunAt: s.lastRunAt,
    lastOutcome: s.lastOutcome,
    lastDurationMs: s.lastDurationMs,
    lastSkipReason: s.lastSkipReason,
    lastError: s.lastError?.message ?? null,
    runCount: s.runCount,
    errorCount: s.errorCount,
  };
}

/** What the cluster sources added to the local status. */
export interface ClusterView {
  nodes: NodePresence[];
  /** Cluster-wide pauses, when a `control` store is configured; null otherwise. */
  clusterPaused: PausedTarget[] | null;
  /** Whether the run history is the cluster's (true) or this node's memory (false). */
  clusterHistory: boolean;
  actions: boolean;
}

/** `/api/status` body: node id, backend, schedules with their locking hint, next and last run, and the rest of the page. */
export function statusView(status: DashboardHostStatus, cluster: ClusterView) {
  return {
    nodeId: status.nodeId,
    backend: status.backend,
    startedAt: status.startedAt,
    state: status.scheduler.state,
    schedules: status.scheduler.schedules.map(scheduleView),
    plugins: status.plugins,
    warnings: status.warnings,
    locks: status.locks,
    snapshots: status.snapshots,
    ...(status.pollers === undefined ? {} : { pollers: status.pollers }),
    ...cluster,
  };
}

export type StatusView = ReturnType<typeof statusView>;
