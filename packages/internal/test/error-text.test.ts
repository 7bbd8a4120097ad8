import { describe, expect, it } from 'vitest';
import { errorDetails, errorText } from '../src/error-text.js';

class CodedError extends Error {
  readonly code = 'lock_lost';
}

describe('errorDetails', () => {
  it('keeps the name, message and code of an Error', () => {
    expect(errorDetails(new CodedError('gone'))).toEqual({ name: 'Error', message: 'gone', code: 'lock_lost' });
    expect(errorDetails(new TypeError('bad'))).toEqual({ name: 'TypeError', message: 'bad' });
  });

  it.each([
    ['a string', 'plain words', 'plain words'],
    ['a number', 42, 'non-error value thrown: 42'],
    ['undefined', undefined, 'non-error value thrown: undefined'],
    ['an object with a message', { message: 'from a plain object' }, 'from a plain object'],
    ['Object.create(null)', Object.create(null), 'non-error value thrown: [object Object]'],
  ])('describes %s without throwing', (_label, thrown, message) => {
    expect(errorDetails(thrown)).toEqual({ name: 'Error', message });
  });

  it('survives values whose every conversion throws', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } });
    expect(errorText(hostile)).toMatch(/^non-error value thrown: /);
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(errorText(revocable.proxy)).toBe('non-error value thrown: an unprintable value');
  });

  it('survives an Error whose message getter throws', () => {
    const error = new Error('hidden');
    Object.defineProperty(error, 'message', { get: () => { throw new Error('trap'); } });
    expect(errorDetails(error)).toEqual({ name: 'Error', message: 'an error whose message cannot be read' });
  });
});
