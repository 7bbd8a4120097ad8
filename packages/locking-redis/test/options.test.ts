import { Redis } from 'ioredis';
import { afterEach, describe, expect, test } from 'vitest';
import { REDIS_LOCK_MAX_KEY_LENGTH, RedisLocking, type RedisLockingOptions } from '../src/index.js';
import { REDIS_URL } from './support/redis-server.js';

const opened: Array<RedisLocking | Redis> = [];
afterEach(async () => {
  for (const item of opened.splice(0)) {
    if (item instanceof RedisLocking) await item.cleanup();
    else item.disconnect();
  }
});

function construct(options: unknown): RedisLocking {
  const locking = new RedisLocking(options as RedisLockingOptions);
  opened.push(locking);
  return locking;
}

function rejectionOf(make: () => unknown): { code?: string; message: string } {
  try {
    make();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('RedisLocking options', () => {
  test('exactly one of client, clients or url is required, and the message says which were given', () => {
    expect(rejectionOf(() => construct({}))).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('got none') });
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    opened.push(client);
    expect(rejectionOf(() => construct({ client, url: REDIS_URL }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('got client, url'),
    });
    expect(rejectionOf(() => construct(null))).toMatchObject({ code: 'invalid_argument' });
  });

  test('a URL that is not redis:// is rejected without showing its password', () => {
    const error = rejectionOf(() => construct({ url: 'http://admin:hunter2@example.com:6379' }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('"url"');
    expect(error.message).toContain('its scheme is "http:"');
    expect(error.message).not.toContain('hunter2');
    const inArray = rejectionOf(() => construct({ url: [REDIS_URL, 'nonsense:pw@@'] }));
    expect(inArray.message).toContain('"url[1]"');
  });

  test('quorum must be a majority of the instances and no more than all of them', () => {
    const urls = ['redis://127.0.0.1:1', 'redis://127.0.0.1:2', 'redis://127.0.0.1:3'];
    for (const quorum of [1, 4, 2.5, Number.NaN, '2']) {
      const error = rejectionOf(() => construct({ url: urls, quorum }));
      expect(error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('"quorum" must be an integer from 2 to 3') });
    }
    expect(construct({ url: urls, quorum: 3 }).topology).toEqual({ instances: 3, quorum: 3 });
    expect(construct({ url: urls }).topology).toEqual({ instances: 3, quorum: 2 });
    expect(construct({ url: REDIS_URL }).topology).toEqual({ instances: 1, quorum: 1 });
  });

  test('timeouts must be positive whole milliseconds', () => {
    for (const field of ['timeoutMs', 'commandTimeoutMs', 'connectTimeoutMs', 'reconnectMaxDelayMs', 'fenceRetentionMs']) {
      for (const value of [0, -5, 1.5, Number.POSITIVE_INFINITY, '500']) {
        const error = rejectionOf(() => construct({ url: REDIS_URL, [field]: value }));
        expect(error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining(`"${field}"`) });
      }
    }
  });

  test('a key prefix with hash-tag braces, a drift factor outside [0, 0.5) and a clock without now() are rejected', () => {
    expect(rejectionOf(() => construct({ url: REDIS_URL, keyPrefix: 'app{1}:' }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('"keyPrefix"'),
    });
    for (const driftFactor of [-0.1, 0.5, Number.NaN]) {
      expect(rejectionOf(() => construct({ url: REDIS_URL, driftFactor }))).toMatchObject({
        code: 'invalid_argument',
        message: expect.stringContaining('"driftFactor"'),
      });
    }
    expect(rejectionOf(() => construct({ url: REDIS_URL, monotonicClock: {} }))).toMatchObject({ code: 'invalid_argument' });
  });

  test('clients must be distinct ioredis clients', () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    opened.push(client);
    expect(rejectionOf(() => construct({ clients: [client, client] }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('lists one client twice'),
    });
    expect(rejectionOf(() => construct({ clients: [client, { status: 'ready' }] }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('"clients[1]"'),
    });
    expect(rejectionOf(() => construct({ clients: [] }))).toMatchObject({ code: 'invalid_argument' });
    expect(rejectionOf(() => construct({ client: 'redis://127.0.0.1' }))).toMatchObject({ code: 'invalid_argument' });
  });

  test('a url list must name distinct servers: one server listed twice is no quorum', () => {
    const error = rejectionOf(() => construct({ url: ['redis://:pw-123@127.0.0.1:1', 'redis://127.0.0.1:2', 'redis://127.0.0.1:1/3'] }));
    expect(error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('"url" lists the server 127.0.0.1:1 twice (at 0 and 2)') });
    expect(error.message).not.toContain('pw-123');
    expect(rejectionOf(() => construct({ url: ['redis://127.0.0.1', 'redis://127.0.0.1:6379'] }))).toMatchObject({ code: 'invalid_argument' });
  });

  test('a URL whose path is not a database number is rejected', () => {
    expect(rejectionOf(() => construct({ url: 'redis://127.0.0.1:6379/jobs' }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('its path is not a database number'),
    });
  });

  test('a logger must have info, warn and error', () => {
    expect(rejectionOf(() => construct({ url: REDIS_URL, logger: { warn: () => undefined } }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('"logger"'),
    });
  });

  test('supports declares what the backend offers and the bound each call honours, derived from timeoutMs', () => {
    const quorumUrls = ['redis://127.0.0.1:1', 'redis://127.0.0.1:2', 'redis://127.0.0.1:3'];
    expect(construct({ url: REDIS_URL }).supports).toEqual({ fences: true, fenceKey: true, peers: true, maxKeyLength: REDIS_LOCK_MAX_KEY_LENGTH, maxCallMs: 2000 });
    expect(construct({ url: quorumUrls }).supports.maxCallMs).toBe(2000);
    expect(construct({ url: quorumUrls, timeoutMs: 600 }).supports.maxCallMs).toBe(1600);
  });

  test('after cleanup() tryLock, renew and release all reject with lock_backend saying it was closed; cleanup() is idempotent', async () => {
    const locking = new RedisLocking({ url: REDIS_URL, keyPrefix: `closed:${Date.now()}:` });
    const handle = (await locking.tryLock('job', 5000))!;
    await locking.cleanup();
    await locking.cleanup();
    for (const call of [() => locking.tryLock('job', 5000), () => locking.renew(handle), () => locking.release(handle)]) {
      await expect(call()).rejects.toMatchObject({ code: 'lock_backend', message: expect.stringContaining('was closed by cleanup()') });
    }
  });

  test('timeoutMs is the deadline of a call; the deprecated commandTimeoutMs and monotonicClock still work, but not beside their new names', () => {
    const quorumUrls = ['redis://127.0.0.1:1', 'redis://127.0.0.1:2', 'redis://127.0.0.1:3'];
    expect(construct({ url: REDIS_URL, timeoutMs: 500 }).supports.maxCallMs).toBe(1500);
    // commandTimeoutMs bounded one round: a quorum tryLock took at most three, one server two.
    expect(construct({ url: quorumUrls, commandTimeoutMs: 200 }).supports.maxCallMs).toBe(1600);
    expect(construct({ url: REDIS_URL, commandTimeoutMs: 200 }).supports.maxCallMs).toBe(1400);
    expect(rejectionOf(() => construct({ url: REDIS_URL, timeoutMs: 500, commandTimeoutMs: 500 }))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('"timeoutMs" and "commandTimeoutMs" (its deprecated name) were both given'),
    });
    expect(construct({ url: REDIS_URL, monotonicClock: { now: () => 0 } }).name).toBe('redis');
    expect(rejectionOf(() => construct({ url: REDIS_URL, clock: { now: () => 0 }, monotonicClock: { now: () => 0 } }))).toMatchObject({ code: 'invalid_argument' });
    expect(rejectionOf(() => construct({ url: REDIS_URL, clock: {} }))).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('"clock"') });
  });

  test('keys longer than REDIS_LOCK_MAX_KEY_LENGTH are rejected before any I/O', async () => {
    const locking = construct({ url: 'redis://127.0.0.1:1' });
    await expect(locking.tryLock('k'.repeat(REDIS_LOCK_MAX_KEY_LENGTH + 1), 1000)).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining(`at most ${REDIS_LOCK_MAX_KEY_LENGTH} characters`),
    });
  });
});
