import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RedisLocking, REDIS_LOCK_MAX_KEY_LENGTH } from '../src/index.js';
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

function fresh(): { locking: RedisLocking; prefix: string } {
  const prefix = `belfry-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const locking = new RedisLocking({ url: REDIS_URL, keyPrefix: prefix });
  opened.push(locking);
  return { locking, prefix };
}

/** Number of Redis keys under `prefix`, counted with SCAN. */
async function countKeys(prefix: string): Promise<number> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

const scope = { fenceKey: 'belfry:fence:reports:nightly' };

describe('RedisLocking fence scopes', () => {
  test('fences strictly increase across three keys of one scope taken in turn', async () => {
    const { locking } = fresh();
    const fences: number[] = [];
    const take = async (key: string) => {
      const handle = await locking.tryLock(key, 5000, scope);
      expect(handle).not.toBeNull();
      fences.push(handle!.fence!);
      return handle!;
    };
    const one = await take('run:1');
    const two = await take('run:2');
    await locking.release(one);
    const three = await take('run:3');
    await locking.release(two);
    await take('run:1');
    await locking.release(three);
    await take('run:2');
    for (let index = 1; index < fences.length; index += 1) expect(fences[index]).toBe(fences[index - 1]! + 1);
  });

  test('a key is exclusive within its scope, and renew and release find it from the handle', async () => {
    const { locking, prefix } = fresh();
    const handle = await locking.tryLock('run:1', 5000, scope);
    expect(handle!.lockId).toBe(`${handle!.lockId.slice(0, 32)}:${scope.fenceKey}`);
    expect(await locking.tryLock('run:1', 5000, scope)).toBeNull();
    const keys = lockKeys(prefix, 'run:1', scope.fenceKey);
    await admin.pexpire(keys.lock, 100);
    await locking.renew(handle!);
    expect(await admin.pttl(keys.lock)).toBeGreaterThan(1000);
    await locking.release(handle!);
    expect(await admin.exists(keys.lock)).toBe(0);
    expect(await locking.tryLock('run:1', 5000, scope)).not.toBeNull();
  });

  test("a scope's counter survives its keys' expiry", async () => {
    const { locking, prefix } = fresh();
    const first = await locking.tryLock('run:1', 20, scope);
    const keys = lockKeys(prefix, 'run:1', scope.fenceKey);
    // Wait for the real expiry; the bound only guards against a hang (the TTL is 20 ms).
    const giveUp = Date.now() + 10_000;
    while ((await admin.exists(keys.lock)) === 1 && Date.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await admin.exists(keys.lock)).toBe(0);
    expect(await admin.pttl(keys.fence)).toBeGreaterThan(0);
    const second = await locking.tryLock('run:2', 5000, scope);
    expect(second!.fence).toBe(first!.fence! + 1);
    expect(await admin.pttl(keys.fence)).toBeGreaterThan(86_000_000); // each use refreshes fenceRetentionMs (default a day)
  });

  test('1,000 occurrences of one scope leave one counter, not one per occurrence', async () => {
    const scoped = fresh();
    const perKey = fresh();
    for (let occurrence = 0; occurrence < 1000; occurrence += 1) {
      const key = `reports:nightly:${occurrence}`;
      const handles = await Promise.all([scoped.locking.tryLock(key, 60_000, scope), perKey.locking.tryLock(key, 60_000)]);
      // The last occurrence is still running.
      if (occurrence < 999) for (const [index, handle] of handles.entries()) await [scoped, perKey][index]!.locking.release(handle!);
    }
    expect(await countKeys(scoped.prefix)).toBe(2); // the scope's counter and the live lock
    expect(await countKeys(perKey.prefix)).toBe(1001); // without a scope, each key keeps its own counter
  });

  test('the lock key and the scope counter share the hash tag of the fenceKey', () => {
    expect(lockKeys('app:', 'run:1', 'reports')).toEqual({ lock: 'app:{reports}:lock:run:1', fence: 'app:{reports}:fence' });
    expect(lockKeys('app:', 'a}b', 'x}y')).toEqual({ lock: 'app:{x%7Dy}:lock:a%7Db', fence: 'app:{x%7Dy}:fence' });
    // Without a scope, the key's counter keeps its name: existing counters carry on.
    expect(lockKeys('app:', 'run:1').fence).toBe('app:{run:1}:fence');
  });

  test.each([
    ['a string', 'reports', /tryLock options must be an object/],
    ['null', null, /tryLock options must be an object/],
    ['an empty fenceKey', { fenceKey: '' }, /"fenceKey" must be a non-empty string/],
    ['a numeric fenceKey', { fenceKey: 7 }, /"fenceKey" must be a non-empty string/],
    ['a fenceKey over the limit', { fenceKey: 'x'.repeat(REDIS_LOCK_MAX_KEY_LENGTH + 1) }, /"fenceKey" is 8193 characters long; the limit is 8192/],
  ])('tryLock rejects %s as options with invalid_argument', async (_, options, message) => {
    const { locking } = fresh();
    const attempt = locking.tryLock('run:1', 5000, options as never);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(attempt).rejects.toThrow(message);
  });
});
