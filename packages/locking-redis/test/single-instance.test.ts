import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { REDIS_LOCK_MAX_KEY_LENGTH, RedisLocking } from '../src/index.js';
import { lockKeys } from '../src/lock-keys.js';
import { purgePrefix } from './support/purge-prefix.js';
import { REDIS_URL } from './support/redis-server.js';

let admin: Redis;
const opened: RedisLocking[] = [];
const prefixes: string[] = [];
beforeAll(() => {
  admin = new Redis(REDIS_URL);
});
afterAll(() => admin.disconnect());
afterEach(async () => {
  for (const locking of opened.splice(0)) await locking.cleanup();
  for (const prefix of prefixes.splice(0)) await purgePrefix(admin, prefix);
});

function fresh(options: Partial<ConstructorParameters<typeof RedisLocking>[0]> = {}): { locking: RedisLocking; prefix: string } {
  const prefix = `belfry-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const locking = new RedisLocking({ url: REDIS_URL, keyPrefix: prefix, ...options });
  opened.push(locking);
  return { locking, prefix };
}

describe('RedisLocking on one server', () => {
  test('a lock is a key holding a 128-bit token with the TTL, beside a fence counter kept for fenceRetentionMs', async () => {
    const { locking, prefix } = fresh({ fenceRetentionMs: 600_000 });
    const handle = await locking.tryLock('report', 60_000);
    expect(handle).not.toBeNull();
    expect(handle!.lockId).toMatch(/^[0-9a-f]{32}$/);
    const keys = lockKeys(prefix, 'report');
    expect(await admin.get(keys.lock)).toBe(handle!.lockId);
    const ttl = await admin.pttl(keys.lock);
    // Margins far beyond any stall between the two commands: these check which TTL was set, not how fast.
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await admin.get(keys.fence)).toBe(String(handle!.fence));
    const retention = await admin.pttl(keys.fence);
    expect(retention).toBeGreaterThan(300_000);
    expect(retention).toBeLessThanOrEqual(600_000);
  });

  test('the lock key and its fence key share one hash tag, whatever braces the key contains', () => {
    // Redis hashes what lies between the first "{" and the first "}" after it.
    const tagOf = (redisKey: string): string => {
      const open = redisKey.indexOf('{');
      return redisKey.slice(open + 1, redisKey.indexOf('}', open + 1));
    };
    for (const key of ['plain', '{tag}', '}{', '{{}}', 'a{b}c', '%7D', '~x']) {
      const keys = lockKeys('app:', key);
      expect(tagOf(keys.lock).length).toBeGreaterThan(0);
      expect(tagOf(keys.lock)).toBe(tagOf(keys.fence));
    }
    expect(lockKeys('app:', 'nightly-report')).toEqual({ lock: 'app:{nightly-report}:lock', fence: 'app:{nightly-report}:fence' });
  });

  test('keys that look like escapes of each other are distinct locks', async () => {
    const { locking } = fresh();
    const keys = ['}', '%7D', '%257D', '%', '%25', '~', '%7E', '~d800', 'a}b', 'a%7Db'];
    const handles = await Promise.all(keys.map((key) => locking.tryLock(key, 5000)));
    expect(handles.every((handle) => handle !== null)).toBe(true);
    for (const key of keys) expect(await locking.tryLock(key, 5000)).toBeNull();
  });

  test('fences keep increasing after the counter expired, because a new counter starts from the server clock', async () => {
    const { locking, prefix } = fresh();
    const first = await locking.tryLock('job', 5000);
    await locking.release(first!);
    await admin.del(lockKeys(prefix, 'job').fence); // as if fenceRetentionMs had passed
    const second = await locking.tryLock('job', 5000);
    expect(second!.fence!).toBeGreaterThan(first!.fence!);
  });

  test('fences keep increasing after a lock expires, because the counter outlives the lock', async () => {
    const { locking, prefix } = fresh();
    const first = await locking.tryLock('job', 5000);
    await admin.del(lockKeys(prefix, 'job').lock); // as if its TTL had run out
    const second = await locking.tryLock('job', 5000);
    expect(second!.fence).toBe(first!.fence! + 1);
  });

  test('renew resets the TTL to the handle TTL', async () => {
    const { locking, prefix } = fresh();
    const handle = await locking.tryLock('job', 60_000);
    await admin.pexpire(lockKeys(prefix, 'job').lock, 100);
    await locking.renew(handle!);
    expect(await admin.pttl(lockKeys(prefix, 'job').lock)).toBeGreaterThan(30_000);
  });

  test('renew of an expired lock rejects with lock_lost and does not bring the key back', async () => {
    const { locking, prefix } = fresh();
    const handle = await locking.tryLock('job', 3000);
    await admin.del(lockKeys(prefix, 'job').lock);
    await expect(locking.renew(handle!)).rejects.toMatchObject({ code: 'lock_lost', name: 'LockLostError', key: 'job' });
    expect(await admin.exists(lockKeys(prefix, 'job').lock)).toBe(0);
  });

  test('keys that differ only in unpaired surrogates are distinct locks', async () => {
    const { locking } = fresh();
    const first = await locking.tryLock('lone \uD800', 5000);
    expect(await locking.tryLock('~00d8', 5000)).not.toBeNull();
    const second = await locking.tryLock('lone \uD801', 5000);
    const third = await locking.tryLock('lone \uFFFD', 5000);
    expect([first, second, third].every((handle) => handle !== null)).toBe(true);
    expect(await locking.tryLock('lone \uD800', 5000)).toBeNull();
  });

  test(`a key of REDIS_LOCK_MAX_KEY_LENGTH (${REDIS_LOCK_MAX_KEY_LENGTH}) characters locks and releases`, async () => {
    const { locking } = fresh();
    const key = '🔒'.repeat(REDIS_LOCK_MAX_KEY_LENGTH / 2);
    const handle = await locking.tryLock(key, 5000);
    expect(handle).not.toBeNull();
    expect(await locking.tryLock(key, 5000)).toBeNull();
    await locking.release(handle!);
    expect(await locking.tryLock(key, 5000)).not.toBeNull();
  });

  test('a borrowed lazy client is connected on first use and left open by cleanup', async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    const prefix = `belfry-test:${randomUUID()}:`;
    prefixes.push(prefix);
    try {
      const locking = new RedisLocking({ client, keyPrefix: prefix });
      const handle = await locking.tryLock('job', 5000);
      expect(handle).not.toBeNull();
      await locking.cleanup();
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
      await expect(locking.tryLock('job', 5000)).rejects.toMatchObject({ code: 'lock_backend', message: expect.stringContaining('closed by cleanup()') });
    } finally {
      client.disconnect();
    }
  });

  test('a lock taken with a copied handle from another RedisLocking on the same prefix is released by it', async () => {
    const { locking, prefix } = fresh();
    const other = new RedisLocking({ url: REDIS_URL, keyPrefix: prefix });
    opened.push(other);
    const handle = await locking.tryLock('job', 5000);
    await other.release(JSON.parse(JSON.stringify(handle)));
    expect(await admin.exists(lockKeys(prefix, 'job').lock)).toBe(0);
  });

  test('calls made at once share socket writes, and each still gets its own lock and fence', async () => {
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 0 });
    try {
      await client.ping();
      const prefix = `belfry-test:${randomUUID()}:`;
      prefixes.push(prefix);
      const locking = new RedisLocking({ client, keyPrefix: prefix });
      // Every write the socket makes, whether of one command or of several held back together.
      const stream = client.stream as unknown as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
      let writes = 0;
      for (const method of ['_write', '_writev'] as const) {
        const original = stream[method].bind(stream);
        stream[method] = (...args: unknown[]) => {
          writes += 1;
          original(...args);
        };
      }
      const callers = 64;
      const handles = await Promise.all(Array.from({ length: callers }, (_, index) => locking.tryLock(`job:${index}`, 5000)));
      // The first two go out at once; from the third on, with commands awaiting replies, the rest share one write.
      expect(writes).toBeLessThanOrEqual(3);
      expect(handles.every((handle) => handle !== null)).toBe(true);
      expect(new Set(handles.map((handle) => handle!.lockId)).size).toBe(callers);
      await Promise.all(handles.map((handle) => locking.release(handle!)));
      expect(await Promise.all(handles.map((handle) => admin.exists(lockKeys(prefix, handle!.key).lock)))).toEqual(Array.from({ length: callers }, () => 0));
      await locking.cleanup();
    } finally {
      client.disconnect();
    }
  });
});
