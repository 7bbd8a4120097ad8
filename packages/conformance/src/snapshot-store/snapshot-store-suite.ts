import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { SnapshotStoreConformance } from './snapshot-store-conformance.js';
import type { SnapshotStoreContext } from './snapshot-store-context.js';
import { snapshotStoreHarness } from './snapshot-store-harness.js';
import { snapshotStoreRules } from './snapshot-store-rules.js';

/**
 * Registers the snapshot-store rules with a test runner, one test per claimed
 * rule. Returns the rules that were not claimed.
 */
export function snapshotStoreSuite(api: TestApi, target: SnapshotStoreConformance): Rule<SnapshotStoreContext>[] {
  return registerRules(api, `${target.name} — snapshot store conformance`, snapshotStoreRules, snapshotStoreHarness(target));
}

/** Runs every snapshot-store rule against `target` and reports each one. */
export function runSnapshotStoreSuite(target: SnapshotStoreConformance): Promise<SuiteReport> {
  return runSuite('snapshot-store', target.name, snapshotStoreRules, snapshotStoreHarness(target));
}
