import type { Clock, LockingPlugin, Logger, ScheduledPlugin, SnapshotStore } from '@belfry/plugin-api';
import type { Scheduler } from '@belfry/scheduler-core';
import { withClusterStateHandoff } from './cluster-state-handoff.js';
import { ClusterStateStore } from './cluster-state-store.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import type { FileState, SharedState } from './select-snapshot-store.js';

/** What the host needs to wire snapshots: the scheduler, the lock backend and its settings. */
export interface SnapshotWiringContext {
  scheduler: Scheduler;
  locking: LockingPlugin;
  clock: Clock;
  logger: Logger;
  nodeId: string;
  lockTtlMs: number;
}

/** The store the orchestrator saves to, and each plugin as the scheduler should run it. */
export interface SnapshotWiring {
  store: SnapshotStore;
  scheduled(plugin: LoadedPlugin & { scheduled: ScheduledPlugin }): ScheduledPlugin;
}

/**
 * With file state, plugins run as they are and snapshots go to files. With
 * shared state, the orchestrator saves through a ClusterStateStore (which
 * splits per-node from cluster-wide state) and the runs of plugins that are
 * scheduled and stateful hand their state over through the cluster.
 */
export function wireSnapshotStore(state: FileState | SharedState, context: SnapshotWiringContext): SnapshotWiring {
  if (state.kind === 'file') return { store: state.store, scheduled: (plugin) => plugin.scheduled };
  // Shared state from here on.
  const { scheduler, locking, clock, logger, nodeId, lockTtlMs } = context;
  const store = new ClusterStateStore({
    store: state.store,
    idPrefix: state.idPrefix,
    schedulerId: scheduler.id,
    nodeId,
    globalSchedules: () => scheduler.status().schedules.filter((schedule) => schedule.locked).map((schedule) => [schedule.plugin, schedule.scheduleId] as const),
    logger,
  });
  // Each run of a global schedule moves its watermark: tell the cluster now, not at the next snapshot pass.
  for (const event of ['run:success', 'run:error', 'run:skip'] as const) {
    scheduler.on(event, (run) => {
      if (store.isGlobal(run.plugin, run.scheduleId)) store.saveSchedulerSoon(() => scheduler.snapshot());
    });
  }
  return {
    store,
    scheduled: (plugin) => (plugin.stateful === undefined ? plugin.scheduled : withClusterStateHandoff(plugin.scheduled, plugin.stateful, { state: store, locking, clock, logger, lockTtlMs })),
  };
}
