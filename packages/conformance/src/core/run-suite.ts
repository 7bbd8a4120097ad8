import type { RuleHarness } from './harness.js';
import type { SuiteReport } from './report.js';
import type { Rule } from './rule.js';
import { runRule } from './run-rule.js';

/** Runs every rule in order, one fresh context each, and tallies the results. */
export async function runSuite<Context>(
  suite: string,
  target: string,
  rules: readonly Rule<Context>[],
  harness: RuleHarness<Context>,
): Promise<SuiteReport> {
  const started = performance.now();
  const results = [];
  for (const rule of rules) results.push(await runRule(rule, harness));
  return {
    suite,
    target,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    notClaimed: results.filter((r) => r.status === 'not_claimed').length,
    durationMs: Math.round(performance.now() - started),
    results,
  };
}
