import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import type { PausedTarget, RunRecord } from '@belfry/plugin-api';
import { RedisControl, RedisPresence, RedisRunHistory } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { adminClient, purgePrefix, REDIS_URL, uniquePrefix } from './support/redis.js';

/** Hang guard for a state that push delivery reaches in a few ms: far above that on a busy machine. */
const GUARD_MS = 5000;
/** A backstop so long that only a pub/sub notification can explain a delivery within GUARD_MS. */
const NO_BACKSTOP_MS = 60_000;
/** Skew of the process's clock in the clock tests: far beyond every retention and TTL they use. */
const SKEW_MS = 365 * 24 * 60 * 60 * 1000;

const admin = adminClient();
const prefixes: string[] = [];
const opened: { close(): Promise<void> }[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  for (const prefix of prefixes) await purgePrefix(admin, prefix);
  admin.disconnect();
});

function freshPrefix(): string {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return prefix;
}

function track<Store extends { close(): Promise<void> }>(store: Store): Store {
  opened.push(store);
  return store;
}

async function serverNow(): Promise<number> {
  const [seconds, micros] = await admin.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

function run(id: string, startedAt: number, fields: Partial<RunRecord> = {}): RunRecord {
  return { id, plugin: 'billing', scheduleId: 'nightly', scheduledAt: startedAt, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt, durationMs: 5, isCatchup: false, manual: false, ...fields };
}

describe('RedisRunHistory', () => {
  test('keeps every key under <keyPrefix>{history}: and drops the filter sets of runs retention removed', async () => {
    const keyPrefix = freshPrefix();
    const history = track(new RedisRunHistory({ url: REDIS_URL, keyPrefix, maxRuns: 3 }));
    const at = await serverNow();
    await history.append([run('old-1', at - 20, { plugin: 'gone', nodeId: 'node-gone' }), run('old-2', at - 10, { plugin: 'gone', outcome: 'error', error: 'x' })]);
    await history.append([run('new-1', at - 2), run('new-2', at - 1), run('new-3', at)]);
    const keys = (await admin.keys(`${keyPrefix}*`)).sort();
    expect(keys).toEqual(
      ['by:nodeId:node-a', 'by:outcome:success', 'by:plugin:billing', 'by:scheduleId:nightly', 'order', 'records'].map((suffix) => `${keyPrefix}{history}:${suffix}`),
    );
    expect(await admin.hlen(`${keyPrefix}{history}:records`)).toBe(3);
    expect(await admin.zcard(`${keyPrefix}{history}:by:plugin:billing`)).toBe(3);
  });

  test("ages runs by the server's clock: a process clock a year ahead or behind changes nothing", async () => {
    const history = track(new RedisRunHistory({ url: REDIS_URL, keyPrefix: freshPrefix(), maxAgeMs: 60_000 }));
    const at = await serverNow();
    for (const skew of [SKEW_MS, -SKEW_MS]) {
      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
      await history.append([run(`skew${skew}`, at)]);
      vi.restoreAllMocks();
    }
    expect((await history.query({ limit: 10 })).runs.map((kept) => kept.id)).toEqual([`skew${-SKEW_MS}`, `skew${SKEW_MS}`].sort().reverse());
  });

  test('a combination of filters rarely true together still pages exactly through the matches, past many runs that do not match', async () => {
    const history = track(new RedisRunHistory({ url: REDIS_URL, keyPrefix: freshPrefix() }));
    const at = await serverNow();
    const runs = Array.from({ length: 600 }, (_, index) => run(`m-${String(index).padStart(3, '0')}`, at - 600 + index, index % 97 === 0 ? { nodeId: 'node-rare', outcome: 'error', error: 'x' } : {}));
    await history.append(runs);
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await history.query({ nodeId: 'node-rare', outcome: 'error', limit: 2, ...(before === undefined ? {} : { before }) });
      seen.push(...page.runs.map((kept) => kept.id));
      before = page.next ?? undefined;
    } while (before !== undefined);
    expect(seen).toEqual(['m-582', 'm-485', 'm-388', 'm-291', 'm-194', 'm-097', 'm-000']);
  });
});

describe('RedisPresence', () => {
  test("expires nodes and dates lastSeenAt by the server's clock, whatever the process's clock says", async () => {
    const keyPrefix = freshPrefix();
    const presence = track(new RedisPresence({ url: REDIS_URL, keyPrefix }));
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - SKEW_MS);
    const before = await serverNow();
    await presence.publish({ nodeId: 'node-a', version: '1', startedAt: 0, backend: 'redis', status: 'running' }, 60_000);
    const after = await serverNow();
    const [node] = await presence.list();
    expect(node!.lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(node!.lastSeenAt).toBeLessThanOrEqual(after);
    expect(Number(await admin.zscore(`${keyPrefix}{presence}:expiry`, 'node-a'))).toBe(node!.lastSeenAt + 60_000);
  });
});

describe('RedisControl', () => {
  const NIGHTLY = { kind: 'schedule', plugin: 'billing', scheduleId: 'nightly' } as const;

  test('a change through another instance reaches a watcher by pub/sub, long before the backstop would re-read', async () => {
    const keyPrefix = freshPrefix();
    const control = track(new RedisControl({ url: REDIS_URL, keyPrefix, watchIntervalMs: NO_BACKSTOP_MS }));
    const other = track(new RedisControl({ url: REDIS_URL, keyPrefix }));
    const calls: PausedTarget[][] = [];
    const stop = control.watch((paused) => calls.push(paused));
    try {
      await eventually(() => calls.length === 1, GUARD_MS, 'a new watcher was never called');
      // Changes made before the subscription is in place are only seen by the backstop: wait for it.
      await eventually(async () => Number((await admin.pubsub('NUMSUB', `${keyPrefix}{control}:changed`))[1]) === 1, GUARD_MS, 'the watcher never subscribed');
      await other.pause(NIGHTLY, { by: 'ops' });
      await eventually(() => calls.at(-1)?.length === 1, GUARD_MS, `the pause never reached the watcher: ${JSON.stringify(calls)}`);
      await other.resume(NIGHTLY);
      await eventually(() => calls.at(-1)?.length === 0, GUARD_MS, 'the resume never reached the watcher');
    } finally {
      stop();
    }
  });

  test('a change made without a notification reaches a watcher through the periodic re-read', async () => {
    const keyPrefix = freshPrefix();
    const control = track(new RedisControl({ url: REDIS_URL, keyPrefix, watchIntervalMs: 100 }));
    const calls: PausedTarget[][] = [];
    const stop = control.watch((paused) => calls.push(paused));
    try {
      await eventually(() => calls.length === 1, GUARD_MS, 'a new watcher was never called');
      // As a pause whose notification was lost: the same writes, no PUBLISH.
      await admin.hset(`${keyPrefix}{control}:paused`, 'poller_job:calendar', '1700000000000 {"target":{"kind":"poller_job","jobId":"calendar"}}');
      await admin.incr(`${keyPrefix}{control}:version`);
      await eventually(() => calls.at(-1)?.[0]?.pausedAt === 1_700_000_000_000, GUARD_MS, `the backstop never delivered the change: ${JSON.stringify(calls)}`);
    } finally {
      stop();
    }
  });

  test('a watcher is told a growing list while 30 pauses follow each other, never an older list after a newer one', async () => {
    const keyPrefix = freshPrefix();
    const control = track(new RedisControl({ url: REDIS_URL, keyPrefix, watchIntervalMs: 50 }));
    const other = track(new RedisControl({ url: REDIS_URL, keyPrefix }));
    const sizes: number[] = [];
    const stop = control.watch((paused) => sizes.push(paused.length));
    try {
      for (let index = 0; index < 30; index++) await other.pause({ kind: 'poller_job', jobId: `job-${index}` });
      await eventually(() => sizes.at(-1) === 30, GUARD_MS, `the watcher was last told ${sizes.at(-1)} targets`);
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      // Told only versions it had not seen: no list twice in a row.
      expect(new Set(sizes).size).toBe(sizes.length);
    } finally {
      stop();
    }
  });

  test('one subscriber connection serves every watcher of a store and is closed when the last one leaves', async () => {
    const keyPrefix = freshPrefix();
    const channel = `${keyPrefix}{control}:changed`;
    const subscribers = async (): Promise<number> => Number((await admin.pubsub('NUMSUB', channel))[1]);
    const control = track(new RedisControl({ url: REDIS_URL, keyPrefix }));
    const stops = [control.watch(() => undefined), control.watch(() => undefined)];
    await eventually(async () => (await subscribers()) === 1, GUARD_MS, 'the watchers never subscribed');
    stops[0]!();
    expect(await subscribers()).toBe(1);
    stops[1]!();
    await eventually(async () => (await subscribers()) === 0, GUARD_MS, 'the subscriber stayed after the last watcher left');
  });

  test('a watcher that throws is reported to the logger and keeps being called', async () => {
    const keyPrefix = freshPrefix();
    const warnings: string[] = [];
    const control = track(new RedisControl({ url: REDIS_URL, keyPrefix, logger: { warn: (message) => warnings.push(message) } }));
    let calls = 0;
    const stop = control.watch(() => {
      calls += 1;
      throw new Error('listener broke');
    });
    try {
      await eventually(() => calls === 1, GUARD_MS, 'the watcher was never called');
      await control.pause(NIGHTLY);
      await eventually(() => calls === 2, GUARD_MS, 'the watcher that threw was not called again');
      expect(warnings[0]).toBe('RedisControl: a watcher threw: listener broke');
    } finally {
      stop();
    }
  });

  test('close() stops every watcher: none is called after it', async () => {
    const keyPrefix = freshPrefix();
    const control = new RedisControl({ url: REDIS_URL, keyPrefix, watchIntervalMs: 20 });
    const other = track(new RedisControl({ url: REDIS_URL, keyPrefix }));
    let calls = 0;
    control.watch(() => (calls += 1));
    await eventually(() => calls === 1, GUARD_MS, 'the watcher was never called');
    await control.close();
    await other.pause(NIGHTLY);
    // Another watcher on the same keys sees the change; the closed store's never does.
    const seen: number[] = [];
    const stop = other.watch((paused) => seen.push(paused.length));
    await eventually(() => seen.at(-1) === 1, GUARD_MS, 'the open store never saw the pause');
    stop();
    expect(calls).toBe(1);
    await expect(control.paused()).rejects.toMatchObject({ code: 'store_backend' });
    expect(() => control.watch(() => undefined)).toThrow(expect.objectContaining({ code: 'store_backend', message: 'RedisControl.watch: the store was closed' }));
  });
});
