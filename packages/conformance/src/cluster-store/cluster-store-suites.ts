import type { RunHistoryOptions } from '@belfry/plugin-api';
import type { SuiteReport } from '../core/report.js';
import { registerRules, type TestApi } from '../core/register-rules.js';
import type { Rule } from '../core/rule.js';
import { runSuite } from '../core/run-suite.js';
import type { RuleHarness } from '../core/harness.js';
import { clusterStoreHarness } from './cluster-store-harness.js';
import type { ControlConformance } from './control-conformance.js';
import type { ControlContext } from './control-context.js';
import type { PresenceConformance } from './presence-conformance.js';
import type { PresenceContext } from './presence-context.js';
import type { RunHistoryConformance } from './run-history-conformance.js';
import { HISTORY_MAX_AGE_SHORTS, HISTORY_MAX_RUNS, type RunHistoryContext } from './run-history-context.js';
import { controlRules as controlRuleList } from './rules/control-rules.js';
import { historyRules as historyRuleList } from './rules/history-rules.js';
import { presenceRules as presenceRuleList } from './rules/presence-rules.js';

const byId = <Context>(rules: readonly Rule<Context>[]): readonly Rule<Context>[] => [...rules].sort((a, b) => a.id.localeCompare(b.id));

/** Every run-history rule (`HISTORY-…`), in id order. */
export const historyRules: readonly Rule<RunHistoryContext>[] = byId(historyRuleList);
/** Every presence rule (`PRESENCE-…`), in id order. */
export const presenceRules: readonly Rule<PresenceContext>[] = byId(presenceRuleList);
/** Every control rule (`CONTROL-…`), in id order. */
export const controlRules: readonly Rule<ControlContext>[] = byId(controlRuleList);

/** The harness of the history suite: each rule's store keeps 20 runs and `100 × shortMs` of age. */
export function historyHarness(target: RunHistoryConformance): RuleHarness<RunHistoryContext> {
  return clusterStoreHarness(target, (shortMs): Required<RunHistoryOptions> => ({ maxRuns: HISTORY_MAX_RUNS, maxAgeMs: HISTORY_MAX_AGE_SHORTS * shortMs }));
}

/** The harness of the presence suite. */
export function presenceHarness(target: PresenceConformance): RuleHarness<PresenceContext> {
  return clusterStoreHarness(target, () => undefined);
}

/** The harness of the control suite. */
export function controlHarness(target: ControlConformance): RuleHarness<ControlContext> {
  return clusterStoreHarness(target, () => undefined);
}

/** Registers the run-history rules with a test runner, one test per rule. Returns the rules not claimed (none: every rule applies). */
export function historySuite(api: TestApi, target: RunHistoryConformance): Rule<RunHistoryContext>[] {
  return registerRules(api, `${target.name} — run history conformance`, historyRules, historyHarness(target));
}

/** Runs every run-history rule against `target` and reports each one. */
export function runHistorySuite(target: RunHistoryConformance): Promise<SuiteReport> {
  return runSuite('run-history', target.name, historyRules, historyHarness(target));
}

/** Registers the presence rules with a test runner, one test per rule. */
export function presenceSuite(api: TestApi, target: PresenceConformance): Rule<PresenceContext>[] {
  return registerRules(api, `${target.name} — presence conformance`, presenceRules, presenceHarness(target));
}

/** Runs every presence rule against `target` and reports each one. */
export function runPresenceSuite(target: PresenceConformance): Promise<SuiteReport> {
  return runSuite('presence', target.name, presenceRules, presenceHarness(target));
}

/** Registers the control rules with a test runner, one test per rule. */
export function controlSuite(api: TestApi, target: ControlConformance): Rule<ControlContext>[] {
  return registerRules(api, `${target.name} — control conformance`, controlRules, controlHarness(target));
}

/** Runs every control rule against `target` and reports each one. */
export function runControlSuite(target: ControlConformance): Promise<SuiteReport> {
  return runSuite('control', target.name, controlRules, controlHarness(target));
}
