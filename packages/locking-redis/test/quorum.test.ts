import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RedisLocking, type RedisLockingOptions } from '../src/index.js';
import { lockKeys } from '../src/lock-keys.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { eventually } from './support/settle.js';

let servers: RedisServer[] = [];
let admins: Redis[] = [];
const opened: RedisLocking[] = [];

beforeAll(async () => {
  servers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
  admins = servers.map((server) => new Redis(server.url));
});
afterAll(async () => {
  for (const admin of admins) admin.disconnect();
  await Promise.all(servers.map((server) => server.stop()));
});
afterEach(async () => {
  for (const locking of opened.splice(0)) await locking.cleanup();
  await Promise.all(admins.map((admin) => admin.flushall()));
});

function quorum(options: Partial<RedisLockingOptions> = {}): { locking: RedisLocking; prefix: string } {
  const prefix = `q:${randomUUID()}:`;
  const locking = new RedisLocking({ url: servers.map((server) => server.url), keyPrefix: prefix, ...options });
  opened.push(locking);
  return { locking, prefix };
}

async function lockKeyCounts(key: string, prefix: string): Promise<number[]> {
  return Promise.all(admins.map((admin) => admin.exists(lockKeys(prefix, key).lock)));
}

/** Hang guard for waiting on a straggler: a call resolves once a quorum agreed, and the last instance's command may still be on its way. */
const STRAGGLER_GUARD_MS = 5000;

/** Scripts (EVALSHA and EVAL) each server ran since its stats were reset. */
async function scriptCalls(): Promise<number[]> {
  return Promise.all(
    admins.map(async (admin) => {
      const stats = await admin.info('commandstats');
      return [...stats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    }),
  );
}

/** The script calls per server once `total` have arrived in all: what a straggler still sends is counted too. */
async function scriptCallsOnceIn(total: number): Promise<number[]> {
  return eventually(
    async () => {
      const calls = await scriptCalls();
      return calls.reduce((sum, count) => sum + count, 0) >= total ? calls : null;
    },
    STRAGGLER_GUARD_MS,
    `${total} script calls`,
  );
}

describe('RedisLocking with a quorum of three servers', () => {
  test('a lock is set on every reachable instance with the same token', async () => {
    const { locking, prefix } = quorum();
    const handle = await locking.tryLock('job', 5000);
    // tryLock resolved once two agreed; the third instance's command was sent at the same time and lands right after.
    const tokens = await eventually(
      async () => {
        const found = await Promise.all(admins.map((admin) => admin.get(lockKeys(prefix, 'job').lock)));
        return found.includes(null) ? null : found;
      },
      STRAGGLER_GUARD_MS,
      'the lock on every instance',
    );
    expect(tokens).toEqual([handle!.lockId, handle!.lockId, handle!.lockId]);
  });

  test('a key held on one instance by someone else is still taken on the other two', async () => {
    const { locking, prefix } = quorum();
    await admins[0]!.set(lockKeys(prefix, 'job').lock, 'someone-else', 'PX', 5000);
    const handle = await locking.tryLock('job', 5000);
    expect(handle).not.toBeNull();
    expect(await admins[0]!.get(lockKeys(prefix, 'job').lock)).toBe('someone-else');
  });

  test('a failed quorum resolves null and leaves no partial lock on the instance that granted it', async () => {
    const { locking, prefix } = quorum();
    await admins[1]!.set(lockKeys(prefix, 'job').lock, 'someone-else', 'PX', 5000);
    await admins[2]!.set(lockKeys(prefix, 'job').lock, 'someone-else', 'PX', 5000);
    expect(await locking.tryLock('job', 5000)).toBeNull();
    expect(await admins[0]!.exists(lockKeys(prefix, 'job').lock)).toBe(0);
  });

  test('fences keep increasing when the next holder wins a different majority', async () => {
    const { locking, prefix } = quorum();
    const keys = lockKeys(prefix, 'job');
    // Instance 0 is far ahead, as after earlier majorities that did not include the others.
    await admins[0]!.set(keys.fence, '8000000000000000');
    const first = await locking.tryLock('job', 5000);
    expect(first!.fence).toBe(8_000_000_000_000_001);
    await locking.release(first!);
    // Reconciliation raised the instances behind, so a majority without instance 0 continues from there.
    expect(await Promise.all(admins.map((admin) => admin.get(keys.fence)))).toEqual(['8000000000000001', '8000000000000001', '8000000000000001']);
    for (const admin of admins) expect(await admin.pttl(keys.fence)).toBeGreaterThan(0); // raised counters keep their retention
    await admins[0]!.set(keys.lock, 'someone-else', 'PX', 5000);
    const second = await locking.tryLock('job', 5000);
    expect(second!.fence).toBe(8_000_000_000_000_002);
  });

  test('a new key starts its fences from the server clock, and instances agree after the first lock', async () => {
    const { locking, prefix } = quorum();
    const before = Date.now() * 1000;
    const first = await locking.tryLock('job', 5000);
    expect(first!.fence!).toBeGreaterThan(before - 60_000_000); // within a minute of this machine's clock
    expect(Number.isSafeInteger(first!.fence)).toBe(true);
    const counters = await Promise.all(admins.map((admin) => admin.get(lockKeys(prefix, 'job').fence)));
    expect(new Set(counters).size).toBe(1);
    expect(counters[0]).toBe(String(first!.fence));
  });

  test("a scope's counters converge on its first lock, so other keys of the scope then take one round", async () => {
    const { locking, prefix } = quorum();
    const scope = { fenceKey: 'belfry:fence:reports:nightly' };
    const first = await locking.tryLock('run:0', 5000, scope);
    // Each fresh counter started from its own server's clock, so the first lock needed the raising round.
    const counters = await Promise.all(admins.map((admin) => admin.get(lockKeys(prefix, 'run:0', scope.fenceKey).fence)));
    expect(counters).toEqual([String(first!.fence), String(first!.fence), String(first!.fence)]);
    await Promise.all(admins.map((admin) => admin.config('RESETSTAT')));
    const fences: number[] = [];
    for (const key of ['run:1', 'run:2', 'run:3']) fences.push((await locking.tryLock(key, 5000, scope))!.fence!);
    expect(fences).toEqual([first!.fence! + 1, first!.fence! + 2, first!.fence! + 3]);
    // Scripts run per instance per round: three locks in one round each are nine, a second round would add three each.
    expect(await scriptCallsOnceIn(9)).toEqual([3, 3, 3]);
  });

  test('in the steady state a lock costs one script call per server to take and one to release, also when a minority lags behind', async () => {
    const { locking, prefix } = quorum();
    const keys = lockKeys(prefix, 'job');
    await locking.release((await locking.tryLock('job', 5000))!); // the first lock reconciles the fresh counters
    await Promise.all(admins.map((admin) => admin.config('RESETSTAT')));
    let previous = 0;
    for (let round = 0; round < 5; round += 1) {
      const handle = (await locking.tryLock('job', 5000))!;
      expect(handle.fence!).toBeGreaterThan(previous);
      previous = handle.fence!;
      await locking.release(handle);
    }
    expect(await scriptCallsOnceIn(30)).toEqual([10, 10, 10]);

    // Instance 2 falls one behind, as after a lock it was not part of: the two that agree still decide in one round.
    await admins[2]!.decr(keys.fence);
    await Promise.all(admins.map((admin) => admin.config('RESETSTAT')));
    const next = (await locking.tryLock('job', 5000))!;
    expect(next.fence!).toBe(previous + 1);
    await locking.release(next);
    expect(await scriptCallsOnceIn(6)).toEqual([2, 2, 2]);
  });

  test('a quorum reached after the validity time has elapsed is not counted, and nothing is left behind', async () => {
    // The monotonic clock jumps past the TTL while the instances answer.
    let reads = 0;
    const { locking, prefix } = quorum({ clock: { now: () => (reads++ === 0 ? 0 : 5000) } });
    await expect(locking.tryLock('job', 5000)).rejects.toMatchObject({
      code: 'lock_backend',
      message: expect.stringContaining('too long for a 5000 ms TTL'),
    });
    expect(await lockKeyCounts('job', prefix)).toEqual([0, 0, 0]);
  });

  test('the drift allowance shortens validity: an acquisition taking 99% of the TTL fails with the default factor of 0.01', async () => {
    let reads = 0;
    const { locking } = quorum({ clock: { now: () => (reads++ === 0 ? 0 : 990) } });
    await expect(locking.tryLock('job', 1000)).rejects.toMatchObject({ code: 'lock_backend' });
    reads = 0;
    const lenient = quorum({ clock: { now: () => (reads++ === 0 ? 0 : 990) }, driftFactor: 0 }).locking;
    expect(await lenient.tryLock('job', 1000)).not.toBeNull();
  });

  test('renew extends the lock while a majority still holds the token, without recreating it where it is gone', async () => {
    const { locking, prefix } = quorum();
    const handle = await locking.tryLock('job', 5000);
    await admins[2]!.del(lockKeys(prefix, 'job').lock);
    await locking.renew(handle!);
    expect(await lockKeyCounts('job', prefix)).toEqual([1, 1, 0]);
  });

  test('renew rejects with lock_lost once a majority has lost the token, and revives nothing', async () => {
    const { locking, prefix } = quorum();
    const handle = await locking.tryLock('job', 5000);
    await admins[1]!.del(lockKeys(prefix, 'job').lock);
    await admins[2]!.del(lockKeys(prefix, 'job').lock);
    await expect(locking.renew(handle!)).rejects.toMatchObject({ code: 'lock_lost' });
    expect(await lockKeyCounts('job', prefix)).toEqual([1, 0, 0]);
  });

  test('quorum: 3 needs every instance to grant the lock', async () => {
    const { locking, prefix } = quorum({ quorum: 3 });
    await admins[2]!.set(lockKeys(prefix, 'job').lock, 'someone-else', 'PX', 5000);
    expect(await locking.tryLock('job', 5000)).toBeNull();
    expect(await lockKeyCounts('job', prefix)).toEqual([0, 0, 1]);
  });

  test('a quorum of borrowed clients works the same as one made from URLs', async () => {
    const clients = servers.map((server) => new Redis(server.url));
    try {
      const locking = new RedisLocking({ clients, keyPrefix: `q:${randomUUID()}:` });
      const handle = await locking.tryLock('job', 5000);
      expect(await locking.tryLock('job', 5000)).toBeNull();
      await locking.release(handle!);
      expect(await locking.tryLock('job', 5000)).not.toBeNull();
      await locking.cleanup();
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});
