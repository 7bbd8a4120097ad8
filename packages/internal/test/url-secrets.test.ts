import { describe, expect, it } from 'vitest';
import { scrubbedCause } from '../src/scrubbed-cause.js';
import { urlSecrets } from '../src/url-secrets.js';

describe('urlSecrets', () => {
  it('gives the password as written and decoded, once each', () => {
    expect(urlSecrets(new URL('redis://:p%40ss@h'))).toEqual(['p%40ss', 'p@ss']);
    expect(urlSecrets(new URL('redis://:plain@h'))).toEqual(['plain']);
    expect(urlSecrets(new URL('redis://h'))).toEqual([]);
    expect(urlSecrets(new URL('redis://:bad%zz@h'))).toEqual(['bad%zz']);
  });
});

describe('scrubbedCause', () => {
  it('copies name, code and the cause chain with every secret removed', () => {
    const inner = Object.assign(new Error('auth failed for hunter2'), { code: 'E_AUTH' });
    const outer = new TypeError('connect postgres://u:hunter2@h failed', { cause: inner });
    const copy = scrubbedCause(outer, ['hunter2']);
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe('connect postgres://u:***@h failed');
    expect(copy.cause).toMatchObject({ message: 'auth failed for ***', code: 'E_AUTH' });
  });
});
