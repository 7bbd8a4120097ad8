import type { ControlConformance } from './cluster-store/control-conformance.js';
import type { PresenceConformance } from './cluster-store/presence-conformance.js';
import type { RunHistoryConformance } from './cluster-store/run-history-conformance.js';
import type { CursorStoreConformance } from './cursor-store/cursor-store-conformance.js';
import type { PollerConformance } from './poller/poller-conformance.js';
import type { LockingConformance } from './locking/locking-conformance.js';
import type { ScheduledConformance } from './scheduled/scheduled-conformance.js';
import type { SnapshotStoreConformance } from './snapshot-store/snapshot-store-conformance.js';
import type { StatefulConformance } from './stateful/stateful-conformance.js';

/**
 * What a module hands to `belfry-conformance`: its default export is one
 * target or an array of them. Each suite runs when its section is present;
 * a target needs at least one section.
 */
export interface ConformanceTarget {
  /** Label in reports, e.g. `'redis (single)'`. */
  name: string;
  /** Runs once before the target's suites, e.g. to start servers. */
  setup?(): Promise<void> | void;
  /** Runs once after them, even when they fail. */
  teardown?(): Promise<void> | void;
  /** The lock backend to check with the locking suite. */
  locking?: Omit<LockingConformance, 'name'>;
  /** The stateful plugin to check with the stateful suite. */
  stateful?: Omit<StatefulConformance, 'name'>;
  /** The snapshot store to check with the snapshot-store suite. */
  snapshotStore?: Omit<SnapshotStoreConformance, 'name'>;
  /** The scheduled plugin to check with the scheduled-plugin suite. */
  scheduledPlugin?: Omit<ScheduledConformance, 'name'>;
  /** The poller cursor store to check with the cursor-store suite. */
  cursorStore?: Omit<CursorStoreConformance, 'name'>;
  /** The run history to check with the history suite. */
  runHistory?: Omit<RunHistoryConformance, 'name'>;
  /** The presence store to check with the presence suite. */
  presence?: Omit<PresenceConformance, 'name'>;
  /** The control store to check with the control suite. */
  control?: Omit<ControlConformance, 'name'>;
  /** The plugin folder whose `[plugin.poller]` process to check with the poller suite. */
  poller?: Omit<PollerConformance, 'name'>;
}

/** Identity function that gives a conformance module's default export its type. */
export function defineConformanceTarget<T extends ConformanceTarget | ConformanceTarget[]>(target: T): T {
  return target;
}
