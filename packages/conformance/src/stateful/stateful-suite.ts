import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { StatefulConformance } from './stateful-conformance.js';
import type { StatefulContext } from './stateful-context.js';
import { statefulHarness } from './stateful-harness.js';
import { statefulRules } from './stateful-rules.js';

/**
 * Registers the stateful-plugin rules with a test runner, one test per claimed
 * rule. Returns the rules that were not claimed.
 */
export function statefulSuite(api: TestApi, target: StatefulConformance): Rule<StatefulContext>[] {
  return registerRules(api, `${target.name} — stateful plugin conformance`, statefulRules, statefulHarness(target));
}

/** Runs every stateful-plugin rule against `target` and reports each one. */
export function runStatefulSuite(target: StatefulConformance): Promise<SuiteReport> {
  return runSuite('stateful', target.name, statefulRules, statefulHarness(target));
}
