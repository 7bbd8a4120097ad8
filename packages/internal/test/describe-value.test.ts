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

  it('redacts a password before cutting a long string, so the cut never hides the @', () => {
    const url = `redis://:${'s3cret-PW'.repeat(10)}@127.0.0.1:6379`;
    expect(describeValue(url)).not.toContain('s3cret');
    expect(describeValue(url)).toContain('redis://:***@127.0.0.1:6379');
  });

  it('describes a revoked proxy without throwing', () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(describeValue(revocable.proxy)).toBe('an unreadable value');
  });
});
