import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { assertLockHandle, assertLockKey, assertTtlMs } from '../src/validate-lock-args.js';

describe('lock argument checks', () => {
  it('accepts a key at the limit and rejects one over it, naming the length', () => {
    expect(() => assertLockKey('k'.repeat(10), 10)).not.toThrow();
    expect(() => assertLockKey('k'.repeat(11), 10)).toThrow('Lock key must be a non-empty string of at most 10 characters (got "kkkkkkkkkkk" (string of length 11))');
  });

  it.each([[0], [-1], [0.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53], ['5']])('rejects the TTL %s', (ttl) => {
    expect(() => assertTtlMs(ttl)).toThrow(InvalidArgumentError);
  });

  it('rejects a handle without a lockId, naming its key', () => {
    expect(() => assertLockHandle({ key: 'job', ttlMs: 5 }, 100)).toThrow('Lock handle for "job" has no lockId (got undefined)');
    expect(() => assertLockHandle('job', 100)).toThrow('Lock handle must be the object tryLock returned (got "job" (string of length 3))');
  });
});
