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

describe('redactSecrets on malformed and scheme-less URLs', () => {
  it.each([
    ['redis:/:s3cret-PW@127.0.0.1:6379', 'redis:/***@127.0.0.1:6379'],
    ['rediss:/u:s3cret-PW@cache:6380', 'rediss:/***@cache:6380'],
    ['postgres:/postgres:s3cret-PW@127.0.0.1:7599/test', 'postgres:/***@127.0.0.1:7599/test'],
    ['postgres:postgres:s3cret-PW@127.0.0.1/test', 'postgres:***@127.0.0.1/test'],
    [':s3cret-PW@host:6379', '***@host:6379'],
    ['default:s3cret-PW@host:6379', 'default:***@host:6379'],
    ['got "redis://:s3cret-PW@h1:1,redis://:s3cret-PW@h2:2"', 'got "redis://:***@h2:2"'],
    ['url=(redis://u:s3cret-PW@h)', '***@h)'],
    ["'redis:/:s3cret-PW@h'", "'redis:/***@h'"],
    ['["redis://:s3cret-PW@h1:1", "redis://:s3cret-PW@h2:2"]', '["redis://:***@h1:1", "redis://:***@h2:2"]'],
    ['redis://:s3:cret@PW@[::1]:6379', 'redis://:***@[::1]:6379'],
    ['(got redis://u:s3cret-PW@h)', '(got redis://u:***@h)'],
  ])('hides the password in %j', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
    expect(redactSecrets(text)).not.toContain('s3');
  });

  it('leaves package specs, e-mail addresses and plain words alone', () => {
    const text = 'install @belfry/host@0.1.0 or mail ops@example.com at 10:30';
    expect(redactSecrets(text)).toBe(text);
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
