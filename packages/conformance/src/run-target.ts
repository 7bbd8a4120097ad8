import type { SuiteReport } from './core/report.js';
import { runControlSuite, runHistorySuite, runPresenceSuite } from './cluster-store/cluster-store-suites.js';
import { runCursorStoreSuite } from './cursor-store/cursor-store-suite.js';
import { runPollerSuite } from './poller/poller-suite.js';
import { runLockingSuite } from './locking/locking-suite.js';
import { runScheduledPluginSuite } from './scheduled/scheduled-suite.js';
import { runSnapshotStoreSuite } from './snapshot-store/snapshot-store-suite.js';
import { runStatefulSuite } from './stateful/stateful-suite.js';
import type { ConformanceTarget } from './target.js';

/** Runs every suite a target has a section for, between its setup and teardown. */
export async function runTarget(target: ConformanceTarget): Promise<SuiteReport[]> {
  const reports: SuiteReport[] = [];
  await target.setup?.();
  try {
    if (target.locking !== undefined) reports.push(await runLockingSuite({ ...target.locking, name: target.name }));
    if (target.stateful !== undefined) reports.push(await runStatefulSuite({ ...target.stateful, name: target.name }));
    if (target.snapshotStore !== undefined) reports.push(await runSnapshotStoreSuite({ ...target.snapshotStore, name: target.name }));
    if (target.scheduledPlugin !== undefined) reports.push(await runScheduledPluginSuite({ ...target.scheduledPlugin, name: target.name }));
    if (target.cursorStore !== undefined) reports.push(await runCursorStoreSuite({ ...target.cursorStore, name: target.name }));
    if (target.runHistory !== undefined) reports.push(await runHistorySuite({ ...target.runHistory, name: target.name }));
    if (target.presence !== undefined) reports.push(await runPresenceSuite({ ...target.presence, name: target.name }));
    if (target.control !== undefined) reports.push(await runControlSuite({ ...target.control, name: target.name }));
    if (target.poller !== undefined) reports.push(await runPollerSuite({ ...target.poller, name: target.name }));
  } finally {
    await target.teardown?.();
  }
  return reports;
}
