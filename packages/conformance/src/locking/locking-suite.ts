import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { LockingConformance } from './locking-conformance.js';
import type { LockingContext } from './locking-context.js';
import { lockingHarness } from './locking-harness.js';
import { lockingRules } from './locking-rules.js';

/**
 * Registers the locking rules with a test runner, one test per claimed
 * rule. Returns the rules that were not claimed.
 */
export function lockingSuite(api: TestApi, target: LockingConformance): Rule<LockingContext>[] {
  return registerRules(api, `${target.name} — locking conformance`, lockingRules, lockingHarness(target));
}

/** Runs every locking rule against `target` and reports each one. */
export function runLockingSuite(target: LockingConformance): Promise<SuiteReport> {
  return runSuite('locking', target.name, lockingRules, lockingHarness(target));
}
