import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { PollerConformance } from './poller-conformance.js';
import type { PollerContext } from './poller-context.js';
import { pollerHarness } from './poller-harness.js';
import { pollerRules } from './poller-rules.js';

/**
 * Registers the poller rules with a test runner, one test per claimed rule.
 * Returns the rules that were not claimed.
 */
export function pollerSuite(api: TestApi, target: PollerConformance): Rule<PollerContext>[] {
  return registerRules(api, `${target.name} — poller conformance`, pollerRules, pollerHarness(target));
}

/** Runs every poller rule against the plugin folder of `target` and reports each one. */
export function runPollerSuite(target: PollerConformance): Promise<SuiteReport> {
  return runSuite('poller', target.name, pollerRules, pollerHarness(target));
}
