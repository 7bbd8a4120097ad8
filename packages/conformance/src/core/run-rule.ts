import type { OpenedContext, RuleHarness } from './harness.js';
import type { RuleResult } from './report.js';
import type { Rule } from './rule.js';
import { withTimeout } from './with-timeout.js';

/** Runs one rule in a fresh context; never throws, never hangs past the harness limit. */
export async function runRule<Context>(rule: Rule<Context>, harness: RuleHarness<Context>): Promise<RuleResult> {
  const missing = (rule.requires ?? []).filter((capability) => !harness.claims(capability));
  if (missing.length > 0) {
    const reasons = missing.map((capability) => harness.notClaimedReason?.(capability) ?? capability);
    return { id: rule.id, sentence: rule.sentence, status: 'not_claimed', reason: `not claimed: ${reasons.join(', ')}`, durationMs: 0 };
  }
  const started = performance.now();
  const limit = harness.ruleTimeoutMs;
  let failure: string | undefined;
  let opened: OpenedContext<Context> | undefined;
  let lateReasons: string[] = [];
  try {
    opened = await withTimeout(harness.open(), limit, `the factory did not create an instance within ${limit} ms`);
    const { notClaimed } = opened;
    lateReasons = (rule.requires ?? []).flatMap((capability) => notClaimed?.(capability) ?? []);
    if (lateReasons.length === 0) await withTimeout(rule.run(opened.context), limit, `did not finish within ${limit} ms (a call hung)`);
  } catch (error) {
    failure = describeFailure(error);
  } finally {
    if (opened !== undefined) {
      await withTimeout(opened.close(), limit, `destroy did not finish within ${limit} ms`).catch((error: unknown) => {
        failure ??= `destroy failed: ${describeFailure(error)}`;
      });
    }
  }
  const durationMs = Math.round(performance.now() - started);
  if (failure === undefined && lateReasons.length > 0) {
    return { id: rule.id, sentence: rule.sentence, status: 'not_claimed', reason: `not claimed: ${lateReasons.join(', ')}`, durationMs: 0 };
  }
  return failure === undefined
    ? { id: rule.id, sentence: rule.sentence, status: 'pass', durationMs }
    : { id: rule.id, sentence: rule.sentence, status: 'fail', reason: failure, durationMs };
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
