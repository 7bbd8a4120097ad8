import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord } from '@belfry/plugin-api';
import { HOSTILE_PASSWORD, hostileRedisUrls } from '@belfry/internal/testing';
import { RedisControl, RedisPresence, RedisRunHistory } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { adminClient, settle, silentListener, startRedisServer, uniquePrefix, unusedPort } from './support/redis.js';
import { HANG_GUARD_MS, expectNoPassword } from './support/faults.js';

/** Hang guard for a state reached in a few ms (or one short backstop interval): far above that on a busy machine. */
const GUARD_MS = 5000;
/** A backstop so long that only a pub/sub notification can explain a delivery within GUARD_MS. */
const NO_BACKSTOP_MS = 60_000;
/** How many backstop intervals a test lets pass while the server stays down. */
const FAILING_ROUNDS = 10;

type AnyStore = RedisRunHistory | RedisPresence | RedisControl;
const opened: AnyStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function track<Store extends AnyStore>(store: Store): Store {
  opened.push(store);
  return store;
}

const RUN: RunRecord = { id: 'r-1', plugin: 'billing', scheduleId: 'nightly', scheduledAt: 1, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt: 1, durationMs: 1, isCatchup: false, manual: false };
const NODE = { nodeId: 'node-a', version: '1', startedAt: 0, backend: 'redis', status: 'running' } as const;
const NIGHTLY = { kind: 'schedule', plugin: 'billing', scheduleId: 'nightly' } as const;

/** Every call of the three stores, named as their errors name them. */
function calls(url: string, timeoutMs?: number): [string, () => Promise<unknown>][] {
  const options = { url, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  const history = track(new RedisRunHistory(options));
  const presence = track(new RedisPresence(options));
  const control = track(new RedisControl(options));
  return [
    ['RedisRunHistory.append(1 run)', () => history.append([RUN])],
    ['RedisRunHistory.query', () => history.query({ limit: 5 })],
    ['RedisPresence.publish("node-a")', () => presence.publish(NODE, 1000)],
    ['RedisPresence.list', () => presence.list()],
    ['RedisPresence.withdraw("node-a")', () => presence.withdraw('node-a')],
    ['RedisControl.pause(schedule:["billing","nightly"])', () => control.pause(NIGHTLY)],
    ['RedisControl.resume(schedule:["billing","nightly"])', () => control.resume(NIGHTLY)],
    ['RedisControl.paused', () => control.paused()],
  ];
}

describe('a server that is down or hangs', () => {
  test('a port nothing listens on: every call rejects with store_backend naming the call, within the bound, without the password', async () => {
    const port = await unusedPort();
    for (const [where, call] of calls(`redis://user:${HOSTILE_PASSWORD}@127.0.0.1:${port}`)) {
      const attempt = await settle(call);
      expect(attempt.outcome, where).toBe('rejected');
      expect(attempt.value, where).toMatchObject({ code: 'store_backend', message: expect.stringContaining(`${where}: `) });
      expect((attempt.value as Error).message, where).toMatch(/ECONNREFUSED|not connected/);
      expect(attempt.ms, where).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    }
  });

  test('a listener that never answers: every call rejects with store_backend once timeoutMs has passed', async () => {
    const listener = await silentListener();
    try {
      for (const [where, call] of calls(`redis://:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}`, 200)) {
        const attempt = await settle(call);
        expect(attempt.value, where).toMatchObject({ code: 'store_backend', message: expect.stringContaining('Redis did not answer within 200 ms (option timeoutMs)') });
        expect(attempt.ms, where).toBeLessThan(HANG_GUARD_MS);
        expectNoPassword(attempt.value);
      }
    } finally {
      await listener.close();
    }
  });

  test('watching a dead server calls no watcher, warns once without the password, and stops cleanly', async () => {
    const warnings: string[] = [];
    const port = await unusedPort();
    const control = track(new RedisControl({ url: `redis://:${HOSTILE_PASSWORD}@127.0.0.1:${port}`, watchIntervalMs: 20, logger: { warn: (message) => warnings.push(message) } }));
    let called = 0;
    const stop = control.watch(() => (called += 1));
    await eventually(() => warnings.length > 0, GUARD_MS, 'a failing re-read was never reported');
    // Let several backstop rounds fail: still one warning for the whole failing stretch.
    await new Promise((resolve) => setTimeout(resolve, FAILING_ROUNDS * 20));
    stop();
    expect(called).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^RedisControl: re-reading the paused list for watchers failed; retrying every 20 ms: RedisControl\.watch: /);
    expect(warnings[0]).not.toContain(HOSTILE_PASSWORD);
  });

  test('every hostile URL either throws invalid_argument or fails its calls with store_backend, never showing the password', async () => {
    for (const url of hostileRedisUrls) {
      for (const Store of [RedisRunHistory, RedisPresence, RedisControl]) {
        let store: AnyStore;
        try {
          store = track(new Store({ url, timeoutMs: 300 }));
        } catch (error) {
          expect(error, url).toMatchObject({ code: 'invalid_argument' });
          expectNoPassword(error);
          continue;
        }
        const call = store instanceof RedisRunHistory ? () => store.query({ limit: 1 }) : store instanceof RedisPresence ? () => store.list() : () => (store as RedisControl).paused();
        const attempt = await settle(call);
        expect(attempt.ms, url).toBeLessThan(HANG_GUARD_MS);
        if (attempt.outcome === 'rejected') {
          expect(attempt.value, url).toMatchObject({ code: 'store_backend' });
          expectNoPassword(attempt.value);
        }
      }
    }
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

  test('a connection killed while an append waits on the server: the append rejects with store_backend at once, and the next calls work', async () => {
    const history = track(new RedisRunHistory({ url: server.url, keyPrefix: uniquePrefix() }));
    await history.append([{ ...RUN, id: 'before', startedAt: Date.now() }]);
    await admin.client('PAUSE', 5000, 'WRITE');
    let attempt: ReturnType<typeof settle>;
    try {
      attempt = settle(() => history.append([{ ...RUN, id: 'during', startedAt: Date.now() }]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    } finally {
      await admin.client('UNPAUSE');
    }
    const killed = await attempt;
    expect(killed.value).toMatchObject({ code: 'store_backend', message: expect.stringContaining('the connection to Redis was lost before it answered') });
    expect(killed.ms).toBeLessThan(HANG_GUARD_MS);
    await eventually(async () => (await settle(() => history.append([{ ...RUN, id: 'after', startedAt: Date.now() }]))).outcome === 'resolved', GUARD_MS, 'the store never worked again');
    const ids = (await history.query({ limit: 10 })).runs.map((kept) => kept.id);
    expect(ids).toContain('before');
    expect(ids).toContain('after');
  });

  test('a subscriber connection killed by the server resubscribes: a later change still reaches the watcher by pub/sub', async () => {
    const keyPrefix = uniquePrefix();
    const channel = `${keyPrefix}{control}:changed`;
    const subscribed = async (): Promise<boolean> => Number((await admin.pubsub('NUMSUB', channel))[1]) === 1;
    const control = track(new RedisControl({ url: server.url, keyPrefix, watchIntervalMs: NO_BACKSTOP_MS }));
    const other = track(new RedisControl({ url: server.url, keyPrefix }));
    const sizes: number[] = [];
    const stop = control.watch((paused) => sizes.push(paused.length));
    try {
      await eventually(subscribed, GUARD_MS, 'the watcher never subscribed');
      await admin.client('KILL', 'TYPE', 'pubsub');
      await eventually(subscribed, GUARD_MS, 'the subscriber never came back');
      await other.pause(NIGHTLY);
      await eventually(() => sizes.at(-1) === 1, GUARD_MS, `the pause never reached the watcher after its subscriber was killed: ${JSON.stringify(sizes)}`);
    } finally {
      stop();
    }
  });

  test('sends the script bodies once when the server does not know them (after SCRIPT FLUSH)', async () => {
    const keyPrefix = uniquePrefix();
    const history = track(new RedisRunHistory({ url: server.url, keyPrefix }));
    const presence = track(new RedisPresence({ url: server.url, keyPrefix }));
    const control = track(new RedisControl({ url: server.url, keyPrefix }));
    await admin.script('FLUSH');
    await history.append([{ ...RUN, startedAt: Date.now() }]);
    expect((await history.query({ limit: 1 })).runs).toHaveLength(1);
    await presence.publish(NODE, 10_000);
    expect(await presence.list()).toHaveLength(1);
    await control.pause(NIGHTLY);
    expect(await control.paused()).toHaveLength(1);
  });
});
