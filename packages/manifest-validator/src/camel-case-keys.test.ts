import { describe, expect, expectTypeOf, it } from 'vitest';
import { camelCaseKeys } from './camel-case-keys.js';

describe('camelCaseKeys', () => {
  it('renames own keys only and drops undefined fields', () => {
    const out = camelCaseKeys({ missed_run_policy: 'skip', max_concurrent_ticks: 1, config: { keep_me: 1 }, timeout_ms: undefined });
    expect(out).toEqual({ missedRunPolicy: 'skip', maxConcurrentTicks: 1, config: { keep_me: 1 } });
    expectTypeOf(out).toHaveProperty('missedRunPolicy');
  });
});
