import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/describe-value.js';

describe('describeValue', () => {
  it.each([
    ['', '"" (string of length 0)'],
    [Number.NaN, 'NaN'],
    [null, 'null'],
    [[1, 2], 'an array of length 2'],
    [Object.create(null), 'an object'],
  ])('describes %j', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('describes a revoked proxy without throwing', () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(describeValue(revocable.proxy)).toBe('an unreadable value');
  });
});
