import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import { lockingClaims } from './locking-claims.js';
import type { LockingConformance } from './locking-conformance.js';
import type { LockingContext } from './locking-context.js';
import { lockingHarness } from './locking-harness.js';
import { lockingRules } from './locking-rules.js';

/**
 * Registers the locking rules with a test runner, one test per rule that
 * may be claimed. Returns the rules that are certainly not claimed; a rule
 * the backend's `supports` rules out is skipped when its test runs.
 */
export function lockingSuite(api: TestApi, target: LockingConformance): Rule<LockingContext>[] {
  return registerRules(api, `${target.name} — locking conformance`, lockingRules, lockingHarness(target));
}

/**
 * Runs every locking rule against `target` and reports each one. One
 * instance is created first to read its `supports`. Throws
 * InvalidArgumentError for a bad declaration (an unknown capability), and
 * rejects with it when the caller claims more than `supports` declares.
 */
export function runLockingSuite(target: LockingConformance): Promise<SuiteReport> {
  lockingHarness(target); // throws at once for a bad declaration, before anything is created
  return probeAndRun(target);
}

async function probeAndRun(target: LockingConformance): Promise<SuiteReport> {
  const probe = await target.factory.create();
  let claims;
  try {
    claims = lockingClaims(target, probe);
  } finally {
    await target.factory.destroy?.(probe);
  }
  return runSuite('locking', target.name, lockingRules, lockingHarness(target, claims));
}
