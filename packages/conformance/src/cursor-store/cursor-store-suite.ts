import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { CursorStoreConformance } from './cursor-store-conformance.js';
import type { CursorStoreContext } from './cursor-store-context.js';
import { cursorStoreHarness } from './cursor-store-harness.js';
import { cursorStoreRules } from './cursor-store-rules.js';

/**
 * Registers the cursor-store rules with a test runner, one test per claimed
 * rule. Returns the rules that were not claimed.
 */
export function cursorStoreSuite(api: TestApi, target: CursorStoreConformance): Rule<CursorStoreContext>[] {
  return registerRules(api, `${target.name} — cursor store conformance`, cursorStoreRules, cursorStoreHarness(target));
}

/** Runs every cursor-store rule against `target` and reports each one. */
export function runCursorStoreSuite(target: CursorStoreConformance): Promise<SuiteReport> {
  return runSuite('cursor-store', target.name, cursorStoreRules, cursorStoreHarness(target));
}
