import type { Clock, LockingPlugin, Logger } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import { ControlSync, type PausableScheduler } from './control-sync.js';
import { noPollerJobs, type PollerJobSchedule } from './control-target-schedule.js';
import type { HostConfig } from './host-config.js';
import { historyRecord } from './history-record.js';
import { nodeVersion } from './host-version.js';
import { PresencePublisher } from './presence-publisher.js';
import type { RunLog } from './run-log.js';
import { RunRecorder, type RunRecorderStats } from './run-recorder.js';
import { secretsOf } from './secrets-of.js';
import { selectClusterStores, type ClusterStores } from './select-cluster-stores.js';

/** How long shutdown waits for the last runs to reach the run history, in ms on the host's clock. */
const HISTORY_FLUSH_ON_STOP_MS = 5_000;

/** What of the host joining needs. */
export interface ClusterHost {
  config: HostConfig;
  locking: LockingPlugin;
  scheduler: PausableScheduler;
  runs: RunLog;
}

/** A host's part in the cluster, from start to stop. */
export interface ClusterMembership {
  readonly stores: ClusterStores;
  /** Says the node is running (the scheduler started). */
  running(): Promise<void>;
  /** Says the node is draining; runs still finishing are recorded. */
  stopping(): Promise<void>;
  /** Sends the last runs (bounded) and stops recording: call once the scheduler stopped. */
  flushRuns(): Promise<void>;
  /** Stops following pauses, withdraws the node and closes the stores the host opened. Never rejects. */
  leave(): Promise<void>;
  /** Re-reads the paused list and applies it here at once (after a pause or resume through this node). */
  syncPauses(): Promise<void>;
  historyStats(): RunRecorderStats;
}

/**
 * Joins the cluster: selects the run history, presence and control stores,
 * records every run and skip of the host's run log in the history, publishes
 * the node as `starting`, and applies the paused list to the scheduler
 * before it starts, then follows it.
 */
export async function joinCluster(
  host: ClusterHost,
  options: {
    given: Partial<ClusterStores> | undefined;
    version: unknown;
    /** When the host started, ms since the epoch. */
    startedAt: number;
    clock: Clock;
    logger: Logger;
    /** Maps a `poller_job` pause target to its schedule. Default: no poller jobs. */
    pollerJobSchedule?: PollerJobSchedule;
  },
): Promise<ClusterMembership> {
  const { config, locking, scheduler, runs } = host;
  const { clock, logger } = options;
  const version = nodeVersion(options.version);
  const selected = await selectClusterStores(config, locking, { clock, logger, given: options.given });
  const stores: ClusterStores = { history: selected.history, presence: selected.presence, control: selected.control };

  const recorder = new RunRecorder({ history: stores.history, clock, logger });
  const secrets = secretsOf(config);
  const unsubscribe = runs.onAdd((run) => recorder.record(historyRecord(run, secrets)));
  const publisher = new PresencePublisher({
    presence: stores.presence,
    clock,
    logger,
    node: { nodeId: config.nodeId, version, startedAt: options.startedAt, backend: config.locking.backend },
  });
  const control = new ControlSync({ control: stores.control, scheduler, clock, logger, pollerJobSchedule: options.pollerJobSchedule ?? noPollerJobs });

  let flushed: Promise<void> | undefined;
  const flushRuns = (): Promise<void> => {
    flushed ??= recorder.stop(HISTORY_FLUSH_ON_STOP_MS).finally(unsubscribe);
    return flushed;
  };
  let left: Promise<void> | undefined;
  const membership: ClusterMembership = {
    stores,
    running: () => publisher.publish('running'),
    stopping: () => publisher.publish('stopping'),
    flushRuns,
    leave: () => {
      left ??= (async () => {
        control.stop();
        await flushRuns();
        await publisher.stop();
        await selected.close().catch((error: unknown) => logger.warn(`belfry host: closing the cluster stores failed: ${errorText(error)}`));
      })();
      return left;
    },
    syncPauses: async () => control.apply(await stores.control.paused()),
    historyStats: () => recorder.stats(),
  };
  // Neither rejects: a store that fails here is a warning, and the paused list is applied before the scheduler starts.
  await publisher.publish('starting');
  await control.start();
  return membership;
}
