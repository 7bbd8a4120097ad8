import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    ['connect to postgres://app:pa55@db:5432/prod failed', 'connect to postgres://app:***@db:5432/prod failed'],
    ['postgresql://app:p%40ss@db/prod', 'postgresql://app:***@db/prod'],
    ['host=db password=pa55 user=app', 'host=db password=*** user=app'],
    ["password = 'pa ss'", 'password = ***'],
    ['postgres://app@db/prod has no password', 'postgres://app@db/prod has no password'],
    ['redis://:p@ss@cache:6379 (unencoded @ in the password)', 'redis://:***@cache:6379 (unencoded @ in the password)'],
  ])('hides the password in %j', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('scrubs known secrets wherever they appear', () => {
    expect(redactSecrets('auth failed with hunter2 for hunter2', ['hunter2'])).toBe('auth failed with *** for ***');
  });
});

describe('redactSecrets on Redis URLs', () => {
  it.each([
    ['redis://:hunter2@127.0.0.1:6379/0', 'redis://:***@127.0.0.1:6379/0'],
    ['rediss://user:pw@cache:6380', 'rediss://user:***@cache:6380'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactSecrets(url)).toBe(shown);
  });
});
