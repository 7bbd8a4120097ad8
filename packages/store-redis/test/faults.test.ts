import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE_PASSWORD, hostileRedisUrls } from '@belfry/internal/testing';
import { RedisCursorStore } from '../src/index.js';
import { adminClient, delayingProxy, purgePrefix, REDIS_URL, settle, silentListener, startRedisServer, uniquePrefix, unusedPort } from './support/redis.js';
import { HANG_GUARD_MS, expectHostileUrlsHandled, expectNoPassword } from './support/faults.js';


const opened: RedisCursorStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function open(options: ConstructorParameters<typeof RedisCursorStore>[0]): RedisCursorStore {
  const store = new RedisCursorStore(options);
  opened.push(store);
  return store;
}

describe('a server that is down or hangs', () => {
  test('a port nothing listens on: load and save reject with store_backend within the bound, without the password', async () => {
    const port = await unusedPort();
    const store = open({ url: `redis://user:${HOSTILE_PASSWORD}@127.0.0.1:${port}` });
    for (const call of [() => store.load('job'), () => store.save('job', 1, 1)]) {
      const attempt = await settle(call);
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^RedisCursorStore\.(load|save)\("job"\): .*ECONNREFUSED/) });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    }
  });

  test('a given client with ioredis defaults (offline queue on) still rejects within timeoutMs', async () => {
    const client = new Redis(await unusedPort(), '127.0.0.1');
    client.on('error', () => undefined);
    try {
      const store = open({ client, timeoutMs: 200 });
      const attempt = await settle(() => store.save('job', 1, 1));
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend' });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
    } finally {
      client.disconnect();
    }
  });

  test('a listener that accepts and never answers: rejects with store_backend once timeoutMs has passed', async () => {
    const listener = await silentListener();
    try {
      const store = open({ url: `redis://:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}`, timeoutMs: 200 });
      const attempt = await settle(() => store.load('job'));
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringContaining('Redis did not answer within 200 ms (option timeoutMs)') });
      expect(attempt.ms).toBeGreaterThanOrEqual(150);
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    } finally {
      await listener.close();
    }
  });

  test('a call that timed out while the connection was being set up is never sent once it is ready', async () => {
    const target = new URL(REDIS_URL);
    const proxy = await delayingProxy({ host: target.hostname, port: Number(target.port || 6379) }, 300);
    const client = new Redis(proxy.port, '127.0.0.1', { lazyConnect: true });
    client.on('error', () => undefined);
    const admin = adminClient();
    const keyPrefix = uniquePrefix();
    try {
      const store = open({ client, keyPrefix, timeoutMs: 100 });
      const attempt = await settle(() => store.save('late', 'too late', 1));
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringContaining('Redis did not answer within 100 ms') });
      await new Promise((resolve) => client.once('ready', resolve));
      // Commands on one connection run in order: once this PING is answered, a save sent before it has run.
      expect(await client.ping()).toBe('PONG');
      expect(await admin.exists(`${keyPrefix}cursor:late`)).toBe(0);
    } finally {
      client.disconnect();
      await purgePrefix(admin, keyPrefix);
      admin.disconnect();
      await proxy.close();
    }
  });

  test('every hostile URL either throws invalid_argument or fails its calls with store_backend, never showing the password', async () => {
    await expectHostileUrlsHandled(hostileRedisUrls, (url) => open({ url, timeoutMs: 300 }), (store) => store.load('job'));
  });
});

describe('a server of our own', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  let admin: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = adminClient(server.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  test('a connection killed while a save waits on the server: the save rejects with store_backend at once, is not run later, and the next call works', async () => {
    const store = open({ url: server.url });
    await store.save('killed', 'before', 1);
    await admin.client('PAUSE', 5000, 'WRITE');
    let attempt: ReturnType<typeof settle>;
    try {
      attempt = settle(() => store.save('killed', 'during', 2));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    } finally {
      await admin.client('UNPAUSE');
    }
    const killed = await attempt;
    expect(killed.outcome).toBe('rejected');
    expect(killed.value).toMatchObject({ code: 'store_backend', message: expect.stringContaining('the connection to Redis was lost before it answered') });
    expect(killed.ms).toBeLessThan(HANG_GUARD_MS);
    // The client reconnects by itself; the first calls may still find it reconnecting.
    let loaded: unknown;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      loaded = await store.load('killed').catch(() => undefined);
      if (loaded !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(loaded).toEqual({ cursor: 'before', fence: 1 });
    expect(await store.save('killed', 'after', 3)).toBe('saved');
  });

  test('sends the script body once when the server does not know it (after SCRIPT FLUSH)', async () => {
    const store = open({ url: server.url });
    await store.save('flushed', 1, 1);
    await admin.script('FLUSH');
    expect(await store.save('flushed', 2, 2)).toBe('saved');
    expect(await store.load('flushed')).toEqual({ cursor: 2, fence: 2 });
  });

  test('close() closes the connection made from url and leaves a given client open', async () => {
    const clients = async (): Promise<number> => Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1]);
    const base = await clients();
    const owned = new RedisCursorStore({ url: server.url });
    const given = adminClient(server.url);
    try {
      const borrowing = new RedisCursorStore({ client: given });
      await owned.save('close', 1, 1);
      await borrowing.save('close', 2, 2);
      expect(await clients()).toBe(base + 2);
      await owned.close();
      await borrowing.close();
      expect(await clients()).toBe(base + 1);
      expect(await given.ping()).toBe('PONG');
    } finally {
      given.disconnect();
    }
  });
});
