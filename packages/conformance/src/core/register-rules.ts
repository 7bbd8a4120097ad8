import type { RuleHarness } from './harness.js';
import type { Rule } from './rule.js';
import { runRule } from './run-rule.js';

/** The parts of a test runner the suites use: vitest, jest, node:test and mocha all fit. */
export interface TestApi {
  test(name: string, fn: () => Promise<void>, timeoutMs?: number): unknown;
  describe?(name: string, fn: () => void): unknown;
}

/**
 * Registers one test per claimed rule, named `<id>: <sentence>`. Rules whose
 * capabilities are not claimed are not registered; they are listed in the
 * returned array so a caller can report them. A rule the instance turns out
 * not to support (its `supports` is only known once a test creates it)
 * fails, naming the capability to declare `false`: a rule is left out by
 * declaration, never skipped at run time.
 */
export function registerRules<Context>(
  api: TestApi,
  title: string,
  rules: readonly Rule<Context>[],
  harness: RuleHarness<Context>,
): Rule<Context>[] {
  const notClaimed = rules.filter((rule) => (rule.requires ?? []).some((capability) => !harness.claims(capability)));
  const register = (): void => {
    for (const rule of rules) {
      if (notClaimed.includes(rule)) continue;
      api.test(
        `${rule.id}: ${rule.sentence}`,
        // No parameter: jest and mocha take a test function with one for a `done` callback.
        async () => {
          const result = await runRule(rule, harness);
          if (result.status === 'fail') throw new Error(`${rule.id} failed: ${result.reason}`);
          if (result.status === 'not_claimed') {
            throw new Error(`${rule.id} is ${result.reason}; declare that capability false so the rule is not registered`);
          }
        },
        harness.ruleTimeoutMs * 3 + 1000,
      );
    }
  };
  if (api.describe !== undefined) api.describe(title, register);
  else register();
  return notClaimed;
}
