import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { ScheduledConformance } from './scheduled-conformance.js';
import type { ScheduledContext } from './scheduled-context.js';
import { scheduledHarness } from './scheduled-harness.js';
import { scheduledPluginRules } from './scheduled-rules.js';

/**
 * Registers the scheduled-plugin rules with a test runner, one test per
 * claimed rule. Returns the rules that were not claimed.
 */
export function scheduledPluginSuite(api: TestApi, target: ScheduledConformance): Rule<ScheduledContext>[] {
  return registerRules(api, `${target.name} — scheduled plugin conformance`, scheduledPluginRules, scheduledHarness(target));
}

/** Runs every scheduled-plugin rule against `target` and reports each one. */
export function runScheduledPluginSuite(target: ScheduledConformance): Promise<SuiteReport> {
  return runSuite('scheduled plugin', target.name, scheduledPluginRules, scheduledHarness(target));
}
