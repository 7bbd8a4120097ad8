import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { LockHandle } from '@belfry/plugin-api';
import { RedisLocking, type RedisLockingOptions } from '../src/index.js';
import { lockKeys } from '../src/lock-keys.js';
import { startFreezingProxy } from './support/freezing-proxy.js';
import { freePort, REDIS_URL, startRedisServer, type RedisServer } from './support/redis-server.js';
import { startSilentServer, type SilentServer } from './support/silent-server.js';
import { eventually, settle } from './support/settle.js';

const opened: RedisLocking[] = [];
afterEach(async () => {
  for (const locking of opened.splice(0)) await locking.cleanup();
});

function open(options: RedisLockingOptions): RedisLocking {
  const locking = new RedisLocking(options);
  opened.push(locking);
  return locking;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

describe('a quorum of three when servers die and come back', () => {
  let servers: RedisServer[] = [];
  let admins: Redis[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
    admins = servers.map((server) => new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 }));
    admins.forEach((admin) => admin.on('error', () => undefined));
  });
  afterAll(async () => {
    for (const admin of admins) admin.disconnect();
    await Promise.all(servers.map((server) => server.stop()));
  });

  test('with one instance killed locks still work; with two killed tryLock rejects in bounded time leaving no stray key; after a restart they work again', async () => {
    const prefix = `f:${randomUUID()}:`;
    const locking = open({ url: servers.map((server) => server.url), keyPrefix: prefix });
    const before = await locking.tryLock('job', 10_000);
    await locking.release(before!);

    await servers[0]!.kill();
    const held = await locking.tryLock('job', 10_000);
    expect(held).not.toBeNull();
    expect(held!.fence!).toBeGreaterThan(before!.fence!);
    expect(await locking.tryLock('job', 10_000)).toBeNull();
    await locking.renew(held!);
    await locking.release(held!);

    await servers[1]!.kill();
    const attempt = await settle(() => locking.tryLock('other', 10_000));
    expect(attempt.outcome).toBe('rejected');
    expect(codeOf(attempt.value)).toBe('lock_backend');
    expect(String((attempt.value as Error).message)).toMatch(/1 of 3 instances granted it, 2 needed/);
    expect(attempt.ms).toBeLessThan(locking.supports.maxCallMs);
    expect(await admins[2]!.exists(lockKeys(prefix, 'other').lock)).toBe(0);

    await Promise.all([servers[0]!.restart(), servers[1]!.restart()]);
    const after = await eventually(() => locking.tryLock('job', 10_000), 15_000, 'a lock after the restart');
    expect(after.fence!).toBeGreaterThan(held!.fence!);
  });
});

describe('one server that fails', () => {
  let server: RedisServer;
  let admin: Redis;
  beforeAll(async () => {
    server = await startRedisServer({ args: ['--requirepass', 'admin-secret'] });
    admin = new Redis(server.url, { password: 'admin-secret', maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });
  const url = (): string => `redis://:admin-secret@127.0.0.1:${server.port}`;

  test('renew settles, never hangs, when the connection is killed while the lock is held, and works again after', async () => {
    const locking = open({ url: url(), keyPrefix: `f:${randomUUID()}:` });
    const handle = (await locking.tryLock('job', 10_000)) as LockHandle;
    const inFlight = settle(() => locking.renew(handle));
    await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    const during = await inFlight;
    const after = await settle(() => locking.renew(handle));
    for (const result of [during, after]) {
      expect(result.outcome).not.toBe('hung');
      expect(result.ms).toBeLessThan(locking.supports.maxCallMs);
      if (result.outcome === 'rejected') expect(['lock_backend', 'lock_lost']).toContain(codeOf(result.value));
    }
    await eventually(async () => ((await locking.renew(handle)), true), 10_000, 'renew after reconnecting');
  });

  test('a server stalled by DEBUG SLEEP longer than timeoutMs makes tryLock reject in bounded time, and the late lock is undone', async () => {
    const prefix = `f:${randomUUID()}:`;
    const locking = open({ url: url(), keyPrefix: prefix, timeoutMs: 300 });
    await locking.tryLock('warm-up', 1000);
    const sleeping = admin.call('DEBUG', 'SLEEP', '1.5');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const attempt = await settle(() => locking.tryLock('job', 30_000));
    expect(attempt.outcome).toBe('rejected');
    expect(codeOf(attempt.value)).toBe('lock_backend');
    expect(String((attempt.value as Error).message)).toContain('no reply within 300 ms (timeoutMs)');
    expect(attempt.ms).toBeLessThan(locking.supports.maxCallMs);
    await sleeping;
    await eventually(async () => ((await admin.exists(lockKeys(prefix, 'job').lock)) === 0 ? true : null), 2000, 'the late lock to be undone');
    expect(await locking.tryLock('job', 1000)).not.toBeNull();
  });

  test('calls made while the server is down are not replayed when it comes back', async () => {
    const prefix = `f:${randomUUID()}:`;
    const locking = open({ url: url(), keyPrefix: prefix });
    await locking.tryLock('warm-up', 1000);
    await server.kill();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await settle(() => locking.tryLock('job', 60_000));
      expect(result.outcome).toBe('rejected');
      expect(result.ms).toBeLessThan(locking.supports.maxCallMs);
    }
    await server.restart();
    await eventually(() => locking.tryLock('probe', 1000), 15_000, 'a lock after the restart');
    expect(await admin.exists(lockKeys(prefix, 'job').lock)).toBe(0);
  });

  test('fences keep increasing after the server restarts without persistence and forgets its counters', async () => {
    const locking = open({ url: url(), keyPrefix: `f:${randomUUID()}:` });
    const before = (await locking.tryLock('job', 5000))!;
    await locking.release(before);
    const second = (await locking.tryLock('job', 5000))!;
    await locking.release(second);
    await server.kill();
    await server.restart();
    const after = await eventually(() => locking.tryLock('job', 5000), 15_000, 'a lock after the restart');
    expect(second.fence!).toBeGreaterThan(before.fence!);
    expect(after.fence!).toBeGreaterThan(second.fence!);
  });

  test('a wrong password fails with lock_backend and the message never shows it; the right one works', async () => {
    const wrong = open({ url: `redis://:wrong-pass-123@127.0.0.1:${server.port}`, keyPrefix: `f:${randomUUID()}:` });
    const result = await settle(() => wrong.tryLock('job', 1000));
    expect(result.outcome).toBe('rejected');
    expect(codeOf(result.value)).toBe('lock_backend');
    expect(result.ms).toBeLessThan(wrong.supports.maxCallMs);
    expect(String((result.value as Error).message)).toMatch(/WRONGPASS.*Fix: correct the user name and password/);
    expect(String((result.value as Error).message)).not.toContain('wrong-pass-123');
    expect(String((result.value as Error).stack)).not.toContain('wrong-pass-123');
    const right = open({ url: url(), keyPrefix: `f:${randomUUID()}:` });
    expect(await right.tryLock('job', 1000)).not.toBeNull();
  });

  test('no password at all fails with NOAUTH and names the fix', async () => {
    const locking = open({ url: server.url, keyPrefix: `f:${randomUUID()}:` });
    const result = await settle(() => locking.tryLock('job', 1000));
    expect(result.outcome).toBe('rejected');
    expect(String((result.value as Error).message)).toMatch(/NOAUTH.*Fix: the server requires a password/);
  });

  test('scripts flushed from the server are loaded again on the next call', async () => {
    const locking = open({ url: url(), keyPrefix: `f:${randomUUID()}:` });
    const first = await locking.tryLock('job', 5000);
    await admin.script('FLUSH');
    await locking.release(first!);
    expect(await locking.tryLock('job', 5000)).not.toBeNull();
  });
});

describe('servers that are not there', () => {
  test('a borrowed client with ioredis defaults (offline queue, endless retries) still makes tryLock reject within the bound', async () => {
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`);
    client.on('error', () => undefined);
    try {
      const locking = new RedisLocking({ client });
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await settle(() => locking.tryLock('job', 1000));
        expect(result.outcome).toBe('rejected');
        expect(codeOf(result.value)).toBe('lock_backend');
        expect(result.ms).toBeLessThan(locking.supports.maxCallMs);
      }
    } finally {
      client.disconnect();
    }
  });

  test('a host that never completes the TCP handshake makes tryLock reject within the bound', async () => {
    // 10.255.255.1 is unroutable: connecting either hangs or fails at once, depending on the network.
    const locking = open({ url: 'redis://10.255.255.1:6379' });
    const result = await settle(() => locking.tryLock('job', 1000));
    expect(result.outcome).toBe('rejected');
    expect(codeOf(result.value)).toBe('lock_backend');
    expect(result.ms).toBeLessThan(locking.supports.maxCallMs);
  });
});

describe('a server that accepts connections and never answers', () => {
  let silent: SilentServer[] = [];
  beforeAll(async () => {
    silent = await Promise.all([startSilentServer(), startSilentServer(), startSilentServer()]);
  });
  afterAll(async () => {
    await Promise.all(silent.map((server) => server.close()));
  });
  const handle = { key: 'job', lockId: 'a'.repeat(32), ttlMs: 1000 };

  /** Every call rejects with lock_backend within the bound the backend declares: its contract, not a speed claim. */
  async function expectEveryCallBounded(locking: RedisLocking, held: LockHandle): Promise<void> {
    for (const call of [() => locking.tryLock('other', 1000), () => locking.renew(held), () => locking.release(held)]) {
      const result = await settle(call);
      expect(result.outcome).toBe('rejected');
      expect(codeOf(result.value)).toBe('lock_backend');
      expect(result.ms).toBeLessThan(locking.supports.maxCallMs);
    }
  }

  test('one silent server, with the default settings: every call rejects within supports.maxCallMs (≤ 2000 ms)', async () => {
    const locking = open({ url: `redis://127.0.0.1:${silent[0]!.port}` });
    expect(locking.supports.maxCallMs).toBeLessThanOrEqual(2000);
    await expectEveryCallBounded(locking, handle);
    await expectEveryCallBounded(locking, handle);
  });

  test('a quorum of silent servers, with the default settings: every call rejects within supports.maxCallMs (≤ 2000 ms)', async () => {
    const locking = open({ url: silent.map((server) => `redis://127.0.0.1:${server.port}`) });
    expect(locking.supports.maxCallMs).toBeLessThanOrEqual(2000);
    await expectEveryCallBounded(locking, handle);
  });

  test('a proxy that freezes mid-session, while a lock is held: every call rejects within supports.maxCallMs', async () => {
    const target = new URL(REDIS_URL);
    const proxy = await startFreezingProxy({ host: target.hostname, port: Number(target.port || 6379) });
    try {
      const locking = open({ url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: `f:${randomUUID()}:` });
      const held = (await locking.tryLock('job', 10_000))!;
      proxy.freeze();
      await expectEveryCallBounded(locking, held);
    } finally {
      await proxy.close();
    }
  });
});
