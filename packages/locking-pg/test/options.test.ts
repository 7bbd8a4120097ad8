import { describe, expect, it } from 'vitest';
import { PgLocking, PG_LOCK_MAX_KEY_LENGTH } from '../src/index.js';
import { DATABASE_URL } from './database.js';

function invalid(make: () => unknown): Error & { code?: string } {
  try {
    make();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the constructor to throw');
}

describe('PgLocking options', () => {
  it('requires exactly one of pool or connectionString', () => {
    expect(invalid(() => new PgLocking({}))).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/exactly one/) });
    expect(invalid(() => new PgLocking(undefined as never))).toMatchObject({ code: 'invalid_argument' });
  });

  it.each([
    [{ mode: 'session' }, /"mode" must be 'lease' or 'advisory' \(got "session"/],
    [{ table: 'locks; DROP TABLE users' }, /"table" must be a plain identifier .*DROP TABLE users/],
    [{ schema: 'Bad-Schema' }, /"schema" must be a plain identifier/],
    [{ sequence: '1seq' }, /"sequence" must be a plain identifier/],
    [{ timeoutMs: 0 }, /"timeoutMs" must be a positive integer \(got 0\)/],
    [{ timeoutMs: 1.5 }, /"timeoutMs" must be a positive integer \(got 1.5\)/],
    [{ maxConnections: -1 }, /"maxConnections" must be a positive integer \(got -1\)/],
    [{ minConnections: -1 }, /"minConnections" must be an integer from 0 to maxConnections \(10\) \(got -1\)/],
    [{ minConnections: 1.5 }, /"minConnections" must be an integer from 0 to maxConnections \(10\) \(got 1.5\)/],
    [{ maxConnections: 2, minConnections: 3 }, /"minConnections" must be an integer from 0 to maxConnections \(2\) \(got 3\)/],
    [{ idleTimeoutMs: 0 }, /"idleTimeoutMs" must be a positive integer \(got 0\)/],
    [{ idleTimeoutMs: '10s' }, /"idleTimeoutMs" must be a positive integer \(got "10s"/],
    [{ keyPrefix: 'x'.repeat(257) }, /"keyPrefix" must be a string of at most 256/],
    [{ clock: {} }, /"clock" must have now\(\) and setTimer\(\)/],
    [{ name: '' }, /"name" must be a non-empty string \(got ""/],
    [{ name: 42 }, /"name" must be a non-empty string \(got 42\)/],
    [{ applicationName: { app: 'x' } }, /"applicationName" must be a string \(got an object\)/],
  ])('rejects %j with invalid_argument naming the option and value', (extra, message) => {
    expect(invalid(() => new PgLocking({ connectionString: DATABASE_URL, ...(extra as object) }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(message),
    });
  });

  it('rejects a malformed or non-postgres connection string without echoing its password', () => {
    for (const url of ['postgres://user:s3cret-pw@', 'mysql://user:s3cret-pw@db/test', 'not a url password=s3cret-pw']) {
      const error = invalid(() => new PgLocking({ connectionString: url }));
      expect(error.code).toBe('invalid_argument');
      expect(error.message).not.toContain('s3cret-pw');
    }
  });

  it('rejects libpq key=value strings and malformed URLs, naming what is wrong and suggesting a pool', () => {
    for (const [connectionString, problem] of [
      ['host=127.0.0.1 user=postgres password=s3cret-pw dbname=test', 'whitespace'],
      ['postgres:/postgres:s3cret-pw@127.0.0.1/test', '"postgres:" is not followed by "//"'],
      ['postgresql://u:s3cret-pw@/test', 'not a valid URL'],
    ] as const) {
      const error = invalid(() => new PgLocking({ connectionString }));
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toContain('"connectionString"');
      expect(error.message).toContain(problem);
      expect(error.message).toContain('pass a pg.Pool as "pool"');
      expect(error.message).not.toContain('s3cret-pw');
    }
  });

  it('supports declares what the backend offers and the bound each call honours, derived from timeoutMs', async () => {
    const lease = new PgLocking({ connectionString: DATABASE_URL });
    const advisory = new PgLocking({ connectionString: DATABASE_URL, mode: 'advisory', timeoutMs: 800 });
    try {
      expect(lease.supports).toEqual({ fences: true, fenceKey: true, peers: true, maxKeyLength: PG_LOCK_MAX_KEY_LENGTH, maxCallMs: 2000 });
      expect(advisory.supports).toEqual({ fences: true, fenceKey: true, peers: false, maxKeyLength: PG_LOCK_MAX_KEY_LENGTH, maxCallMs: 1800 });
    } finally {
      await Promise.all([lease.cleanup(), advisory.cleanup()]);
    }
  });

  it('rejects keys PostgreSQL text cannot hold, with invalid_argument naming the key', async () => {
    const locking = new PgLocking({ connectionString: DATABASE_URL });
    try {
      await expect(locking.tryLock('a\u0000b', 1000)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/NUL.*"a\\u0000b"/) });
      await expect(locking.tryLock('lone \ud800 surrogate', 1000)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/surrogate/) });
      await expect(locking.tryLock('x'.repeat(PG_LOCK_MAX_KEY_LENGTH + 1), 1000)).rejects.toMatchObject({
        code: 'invalid_argument',
        message: expect.stringMatching(new RegExp(`at most ${PG_LOCK_MAX_KEY_LENGTH} characters`)),
      });
      await expect(locking.release({ key: 'a\u0000b', lockId: 'x'.repeat(32), ttlMs: 1000 })).rejects.toMatchObject({ code: 'invalid_argument' });
    } finally {
      await locking.cleanup();
    }
  });

  for (const mode of ['lease', 'advisory'] as const) {
    it(`${mode}: after cleanup() tryLock, renew and release all reject with lock_backend saying it was closed; cleanup() is idempotent`, async () => {
      const locking = new PgLocking({ connectionString: DATABASE_URL, mode, keyPrefix: `closed:${Date.now()}:` });
      await locking.setup();
      const handle = (await locking.tryLock('job', 5000))!;
      await locking.cleanup();
      await locking.cleanup();
      for (const call of [() => locking.tryLock('job', 5000), () => locking.renew(handle), () => locking.release(handle)]) {
        await expect(call()).rejects.toMatchObject({ code: 'lock_backend', message: expect.stringContaining('was closed by cleanup()') });
      }
    });
  }

  it('reports its name and mode, and cleanup() can be called twice', async () => {
    const locking = new PgLocking({ connectionString: DATABASE_URL, mode: 'advisory', name: 'pg-main' });
    expect(locking.name).toBe('pg-main');
    expect(locking.mode).toBe('advisory');
    await locking.cleanup();
    await locking.cleanup();
    expect(new PgLocking({ connectionString: DATABASE_URL }).mode).toBe('lease');
  });
});
