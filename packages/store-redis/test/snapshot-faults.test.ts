import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE_PASSWORD, hostileRedisUrls } from '@belfry/internal/testing';
import { RedisSnapshotStore } from '../src/index.js';
import { adminClient, purgePrefix, REDIS_URL, settle, silentListener, startRedisServer, uniquePrefix, unusedPort } from './support/redis.js';
import { HANG_GUARD_MS, expectHostileUrlsHandled, expectNoPassword } from './support/faults.js';


const opened: RedisSnapshotStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function open(options: ConstructorParameters<typeof RedisSnapshotStore>[0]): RedisSnapshotStore {
  const store = new RedisSnapshotStore(options);
  opened.push(store);
  return store;
}

const snapshot = (fill: number, length = 16) => ({ id: 'counter', version: 2, bytes: new Uint8Array(length).fill(fill) });

describe('RedisSnapshotStore against a server that is down or hangs', () => {
  test('a port nothing listens on: every call rejects with store_backend within the bound, without the password', async () => {
    const store = open({ url: `redis://user:${HOSTILE_PASSWORD}@127.0.0.1:${await unusedPort()}` });
    const calls = [() => store.load('counter'), () => store.save(snapshot(1)), () => store.saveFenced(snapshot(1), 3), () => store.loadFenced('counter'), () => store.delete('counter'), () => store.list()];
    for (const call of calls) {
      const attempt = await settle(call);
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^RedisSnapshotStore\.\w+\(("counter")?\): .*ECONNREFUSED/) });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    }
  });

  test('a listener that accepts and never answers: rejects with store_backend once timeoutMs has passed', async () => {
    const listener = await silentListener();
    try {
      const store = open({ url: `redis://:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}`, timeoutMs: 200 });
      const attempt = await settle(() => store.saveFenced(snapshot(1), 1));
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringContaining('Redis did not answer within 200 ms (option timeoutMs)') });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    } finally {
      await listener.close();
    }
  });

  test('every hostile URL either throws invalid_argument or fails its calls with store_backend, never showing the password', async () => {
    await expectHostileUrlsHandled(hostileRedisUrls, (url) => open({ url, timeoutMs: 300 }), (store) => store.load('counter'));
  });
});

describe('RedisSnapshotStore on the shared server', () => {
  let admin: Redis;
  const keyPrefix = uniquePrefix();
  beforeAll(() => {
    admin = adminClient();
  });
  afterAll(async () => {
    await purgePrefix(admin, keyPrefix);
    admin.disconnect();
  });

  test('keeps each snapshot in one hash under the {snapshots} tag, the bytes stored as they are', async () => {
    const store = open({ url: REDIS_URL, keyPrefix });
    const bytes = new Uint8Array([0, 255, 0x0d, 0x0a, 0xc3, 0x28]);
    expect(await store.saveFenced({ id: 'raw', version: 7, bytes }, 41)).toBe('saved');
    const key = `${keyPrefix}{snapshots}:snapshot:raw`;
    expect([...(await admin.hgetBuffer(key, 'bytes'))!]).toEqual([...bytes]);
    expect(await admin.hget(key, 'version')).toBe('7');
    expect(await admin.hget(key, 'fence')).toBe('41');
    expect(await admin.smembers(`${keyPrefix}{snapshots}:ids`)).toEqual(['raw']);
  });

  test('a record changed outside the store fails its load with store_backend naming the key, and is never returned as state', async () => {
    const store = open({ url: REDIS_URL, keyPrefix });
    await store.save({ id: 'tampered', version: 1, bytes: new Uint8Array([1, 2, 3]) });
    const key = `${keyPrefix}{snapshots}:snapshot:tampered`;
    await admin.hset(key, 'bytes', Buffer.from([1, 2, 4]));
    await expect(store.load('tampered')).rejects.toMatchObject({ code: 'store_backend', message: expect.stringContaining(`key "${key}" does not match its checksum`) });
    await admin.hdel(key, 'sum');
    await expect(store.loadFenced('tampered')).rejects.toMatchObject({ code: 'store_backend', message: expect.stringContaining('lacks one of the fields') });
    await store.delete('tampered');
    expect(await store.load('tampered')).toBeNull();
  });
});

describe('RedisSnapshotStore on a server of our own', () => {
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

  test('a connection killed while a fenced save waits on the server: the save rejects with store_backend, is not run later, and the next call works', async () => {
    const store = open({ url: server.url });
    await store.saveFenced(snapshot(1), 1);
    await admin.client('PAUSE', 5000, 'WRITE');
    let attempt: ReturnType<typeof settle>;
    try {
      attempt = settle(() => store.saveFenced(snapshot(2), 2));
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
      loaded = await store.loadFenced('counter').catch(() => undefined);
      if (loaded !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(loaded).toEqual({ snapshot: snapshot(1), fence: 1 });
    expect(await store.saveFenced(snapshot(3), 3)).toBe('saved');
  });

  test('sends the script body once when the server does not know it (after SCRIPT FLUSH)', async () => {
    const store = open({ url: server.url });
    await store.save({ id: 'flushed', version: 1, bytes: new Uint8Array([1]) });
    await admin.script('FLUSH');
    expect(await store.saveFenced({ id: 'flushed', version: 1, bytes: new Uint8Array([2]) }, 2)).toBe('saved');
    await store.delete('flushed');
    expect(await store.list()).not.toContain('flushed');
  });
});
