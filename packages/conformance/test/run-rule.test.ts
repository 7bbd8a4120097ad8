import { describe, expect, it } from 'vitest';
import type { RuleHarness } from '../src/core/harness.js';
import { runRule } from '../src/core/run-rule.js';

function harness(overrides: Partial<RuleHarness<string>> = {}): RuleHarness<string> & { closed: number } {
  const state = {
    closed: 0,
    ruleTimeoutMs: 200,
    claims: (capability: string) => capability === 'claimed',
    async open() {
      return { context: 'ctx', close: async () => void (state.closed += 1) };
    },
    ...overrides,
  };
  return state;
}

describe('runRule', () => {
  it('fails a rule that hangs after the time limit and still disposes of its instance', async () => {
    const h = harness();
    const result = await runRule({ id: 'X-001', sentence: 'hangs', run: () => new Promise<void>(() => {}) }, h);
    expect(result).toMatchObject({ status: 'fail', reason: 'did not finish within 200 ms (a call hung)' });
    expect(h.closed).toBe(1);
  });

  it('reports the first line of the thrown message as the reason', async () => {
    const result = await runRule({ id: 'X-002', sentence: 'throws', run: async () => Promise.reject(new Error('bad thing\nstack')) }, harness());
    expect(result).toMatchObject({ status: 'fail', reason: 'bad thing' });
  });

  it('fails a rule whose instance cannot be destroyed', async () => {
    const h = harness({ open: async () => ({ context: 'ctx', close: async () => Promise.reject(new Error('socket stuck')) }) });
    const result = await runRule({ id: 'X-003', sentence: 'passes', run: async () => {} }, h);
    expect(result).toMatchObject({ status: 'fail', reason: 'destroy failed: socket stuck' });
  });

  it('does not run a rule whose capability is not claimed', async () => {
    let ran = false;
    const result = await runRule({ id: 'X-004', sentence: 'needs more', requires: ['claimed', 'other'], run: async () => void (ran = true) }, harness());
    expect(result).toMatchObject({ status: 'not_claimed', reason: 'not claimed: other' });
    expect(ran).toBe(false);
  });
});
