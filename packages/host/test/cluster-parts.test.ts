import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, type RunHistory, type RunRecord } from '@belfry/plugin-api';
import { MemoryLocking } from '@belfry/locking-memory';
import { PgLocking } from '@belfry/locking-pg';
import { RedisLocking } from '@belfry/locking-redis';
import { PgControl, PgPresence, PgRunHistory } from '@belfry/store-pg';
import { RedisControl, RedisPresence, RedisRunHistory } from '@belfry/store-redis';
import { ManualClock, Scheduler } from '@belfry/scheduler-core';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '@belfry/stateful-registry';
import { ControlSync } from '../src/control-sync.js';
import { controlTargetSchedule, type PollerJobSchedule } from '../src/control-target-schedule.js';
import { historyRecord } from '../src/history-record.js';
import { HOST_VERSION } from '../src/host-version.js';
import { loadHostConfig } from '../src/load-host-config.js';
import { pgStoreTables } from '../src/pg-store-tables.js';
import { RunRecorder } from '../src/run-recorder.js';
import type { RunRecord as LoggedRun } from '../src/run-log.js';
import { selectClusterStores } from '../src/select-cluster-stores.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A fake poller mapping: job `team_calendar` is a schedule of plugin `poller:feeds`. */
const pollerJobs: PollerJobSchedule = (jobId) => (jobId === 'team_calendar' ? { plugin: 'poller:feeds', scheduleId: 'team_calendar' } : undefined);

const logged = (over: Partial<LoggedRun> = {}): LoggedRun => ({
  plugin: 'ticker',
  scheduleId: 'tick',
  scheduledAt: START,
  nodeId: 'node-a',
  locking: 'require_global',
  outcome: 'success',
  startedAt: START + 3,
  durationMs: 12,
  isCatchup: false,
  ...over,
});

describe('controlTargetSchedule', () => {
  it('names a schedule target as it is and a poller job through the mapping', () => {
    expect(controlTargetSchedule({ kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' }, pollerJobs)).toEqual({ plugin: 'ticker', scheduleId: 'tick' });
    expect(controlTargetSchedule({ kind: 'poller_job', jobId: 'team_calendar' }, pollerJobs)).toEqual({ plugin: 'poller:feeds', scheduleId: 'team_calendar' });
    expect(controlTargetSchedule({ kind: 'poller_job', jobId: 'elsewhere' }, pollerJobs)).toBeUndefined();
  });
});

describe('ControlSync', () => {
  async function scheduler(clock: ManualClock) {
    const s = new Scheduler({ clock, logger: quiet(), nodeId: 'node-a' });
    await s.register({ name: 'ticker', schedules: () => [{ id: 'tick', cron: '10s', locking: 'node_local' }], run() {} });
    await s.register({ name: 'poller:feeds', schedules: () => [{ id: 'team_calendar', cron: '10s', locking: 'node_local' }], run() {} });
    return s;
  }

  it('pauses the schedule of a paused poller job, ignores targets this node does not run, and resumes what leaves the list', async () => {
    const clock = new ManualClock(START);
    const s = await scheduler(clock);
    const control = new MemoryControl({ clock });
    const sync = new ControlSync({ control, scheduler: s, clock, logger: quiet(), pollerJobSchedule: pollerJobs });
    await sync.start();
    const paused = () => s.status().schedules.filter((entry) => entry.paused).map((entry) => `${entry.plugin}/${entry.scheduleId}`);

    await control.pause({ kind: 'poller_job', jobId: 'team_calendar' });
    await control.pause({ kind: 'schedule', plugin: 'not-here', scheduleId: 'x' });
    await settle();
    expect(paused()).toEqual(['poller:feeds/team_calendar']);

    await control.pause({ kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' });
    await control.resume({ kind: 'poller_job', jobId: 'team_calendar' });
    await settle();
    expect(paused()).toEqual(['ticker/tick']);

    sync.stop();
    await control.resume({ kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' });
    await settle();
    expect(paused()).toEqual(['ticker/tick']);
    await s.stop({ graceMs: 0 });
  });

  it('starts with every schedule running, and a warning, when the paused list cannot be read', async () => {
    const clock = new ManualClock(START);
    const s = await scheduler(clock);
    const logger = quiet();
    const control = new MemoryControl({ clock });
    const broken = { ...control, paused: () => Promise.reject(new Error('store is down')), watch: control.watch.bind(control), pause: control.pause.bind(control), resume: control.resume.bind(control) };
    await new ControlSync({ control: broken, scheduler: s, clock, logger, pollerJobSchedule: pollerJobs }).start();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('could not read the cluster\'s paused schedules (store is down)'));
    expect(s.status().schedules.every((entry) => !entry.paused)).toBe(true);
    await s.stop({ graceMs: 0 });
  });
});

describe('historyRecord', () => {
  it('maps a logged run to a run record, with an id unique per node, occurrence, catch-up and manual start', () => {
    const record = historyRecord(logged({ fence: 7 }));
    expect(record).toEqual({
      id: record.id,
      plugin: 'ticker',
      scheduleId: 'tick',
      scheduledAt: START,
      nodeId: 'node-a',
      locking: 'require_global',
      outcome: 'success',
      startedAt: START + 3,
      durationMs: 12,
      fence: 7,
      isCatchup: false,
      manual: false,
    });
    expect(historyRecord(logged({ fence: 7 })).id).toBe(record.id);
    const others = [logged({ nodeId: 'node-b' }), logged({ scheduledAt: START + 10_000 }), logged({ isCatchup: true }), logged({ manual: true })];
    expect(new Set([record.id, ...others.map((run) => historyRecord(run).id)]).size).toBe(5);
  });

  it('keeps a skip reason and a lock error, redacts passwords, cuts long error text and keeps usable metrics only', () => {
    const skip = historyRecord(logged({ outcome: 'skipped', reason: 'lock_error', durationMs: 40, error: 'AUTH failed for redis://:s3cret@db:6379 (s3cret)' }), ['s3cret']);
    expect(skip).toMatchObject({ outcome: 'skipped', skipReason: 'lock_error', durationMs: 0, error: 'AUTH failed for redis://:***@db:6379 (***)' });
    expect(historyRecord(logged({ outcome: 'error', error: 'x'.repeat(10_000) })).error).toHaveLength(8192);
    const metrics = { items: 3, bad: Number.NaN, ['\u0001ctl']: 1, ...Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`m${i}`, i])) };
    const kept = historyRecord({ ...logged(), metrics } as LoggedRun).metrics!;
    expect(Object.keys(kept)).toHaveLength(64);
    expect(kept).toMatchObject({ items: 3, m0: 0 });
    expect(kept).not.toHaveProperty('bad');
  });
});

describe('RunRecorder', () => {
  const record = (i: number): RunRecord => historyRecord(logged({ scheduledAt: START + i * 1000, startedAt: START + i * 1000 }));

  it('sends a full batch at once and the rest after the flush interval, one append per batch', async () => {
    const clock = new ManualClock(START);
    const history = new MemoryRunHistory({ clock });
    const sizes: number[] = [];
    const counting: RunHistory = { append: (runs) => (sizes.push(runs.length), history.append(runs)), query: (q) => history.query(q) };
    const recorder = new RunRecorder({ history: counting, clock, logger: quiet(), batchSize: 3, flushIntervalMs: 500 });
    for (let i = 0; i < 3; i += 1) recorder.record(record(i));
    await settle();
    expect(sizes).toEqual([3]);
    recorder.record(record(3));
    await clock.advance(499);
    expect(sizes).toEqual([3]);
    await clock.advance(1);
    expect(sizes).toEqual([3, 1]);
    expect((await history.query({ limit: 10 })).runs).toHaveLength(4);
    expect(recorder.stats()).toEqual({ appended: 4, pending: 0, dropped: 0, failing: false });
  });

  it('drops a batch the store refuses as invalid and keeps the runs after it flowing', async () => {
    const clock = new ManualClock(START);
    const history = new MemoryRunHistory({ clock });
    let calls = 0;
    const picky: RunHistory = {
      append: (runs) => (calls++ === 0 ? Promise.reject(new InvalidArgumentError('runs[0] is odd')) : history.append(runs)),
      query: (q) => history.query(q),
    };
    const logger = quiet();
    const recorder = new RunRecorder({ history: picky, clock, logger, batchSize: 2 });
    for (let i = 0; i < 4; i += 1) recorder.record(record(i));
    await settle();
    expect(recorder.stats()).toEqual({ appended: 2, pending: 0, dropped: 2, failing: false });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('the run history refused 2 run(s)'));
  });

  it('leaves out a record no store would accept, and keeps at most maxPending while the store fails', async () => {
    const clock = new ManualClock(START);
    const logger = quiet();
    const down: RunHistory = { append: () => Promise.reject(new Error('down')), query: async () => ({ runs: [], next: null }) };
    const recorder = new RunRecorder({ history: down, clock, logger, maxPending: 3, batchSize: 100 });
    recorder.record({ ...record(0), id: 'has space' });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('a run of ticker/tick was left out of the run history: RunRecorder.record: run.id must be'));
    for (let i = 0; i < 5; i += 1) recorder.record(record(i));
    await clock.advance(1_000);
    expect(recorder.stats()).toEqual({ appended: 0, pending: 3, dropped: 3, failing: true });
    expect(() => new RunRecorder({ history: down, clock, logger, batchSize: 0 })).toThrow('RunRecorder: option "batchSize" must be a positive integer, got 0');
  });
});

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('selectClusterStores', () => {
  const config = (env: Record<string, string>) => loadHostConfig({ env, cwd: '/nonexistent-belfry-dir' });

  it('gives the memory backend memory stores on the host clock', async () => {
    const logger = quiet();
    const stores = await selectClusterStores(config({}), new MemoryLocking(), { clock: new ManualClock(START), logger });
    expect(stores.history).toBeInstanceOf(MemoryRunHistory);
    expect(stores.presence).toBeInstanceOf(MemoryPresence);
    expect(stores.control).toBeInstanceOf(MemoryControl);
    expect(logger.warn).not.toHaveBeenCalled();
    await stores.close();
  });

  it('falls back to memory stores, with a warning, for a backend without shared stores, and uses the stores it is given', async () => {
    const logger = quiet();
    const given = new MemoryControl();
    // A lock backend a plugin provides: the host knows no store on its servers.
    const pluginBackend = { ...config({}), locking: { ...config({}).locking, backend: 'etcd' } };
    const stores = await selectClusterStores(pluginBackend, new MemoryLocking(), { clock: new ManualClock(START), logger, given: { control: given } });
    expect(stores.control).toBe(given);
    expect(stores.history).toBeInstanceOf(MemoryRunHistory);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('the "etcd" lock backend has no shared run history, presence or pause store yet'));
  });

  const pause = { kind: 'schedule', plugin: 'report', scheduleId: 'nightly' } as const;

  it('puts the stores on the Redis of a redis lock backend, on its client, under its key prefix', async () => {
    const keyPrefix = `belfry-select-${randomUUID()}:`;
    const settings = config({ BELFRY_LOCKING: 'redis', REDIS_URL });
    const locking = new RedisLocking({ url: REDIS_URL, keyPrefix });
    const logger = quiet();
    const stores = await selectClusterStores({ ...settings, locking: { ...settings.locking, keyPrefix } }, locking, { clock: new ManualClock(START), logger });
    try {
      expect(stores.history).toBeInstanceOf(RedisRunHistory);
      expect(stores.presence).toBeInstanceOf(RedisPresence);
      expect(stores.control).toBeInstanceOf(RedisControl);
      await stores.control.pause(pause, { by: 'a' });
      // Another node's store on its own connection sees the pause: the stores are on the server, not in this process.
      const other = new RedisControl({ url: REDIS_URL, keyPrefix });
      expect((await other.paused()).map((entry) => entry.target)).toEqual([pause]);
      await other.close();
      expect(logger.warn).not.toHaveBeenCalled();
    } finally {
      await stores.close();
    }
    // Closing the stores leaves the lock backend's shared client working.
    const lock = await locking.tryLock('after-close', 1_000);
    expect(lock).not.toBeNull();
    await locking.release(lock!);
    await locking.cleanup();
  });

  it('names the pg store tables after the lock key prefix: the default one keeps the stores\' default tables', () => {
    expect(pgStoreTables('belfry:')).toEqual({ history: 'belfry_runs', presence: 'belfry_nodes', control: 'belfry_control' });
    expect(pgStoreTables('myapp:')).toEqual({ history: 'myapp_runs', presence: 'myapp_nodes', control: 'myapp_control' });
    // Anything else (no colon, other characters, too long for a table name) gets a name from its hash: distinct prefixes, distinct tables.
    const others = ['myapp', 'my-app:', 'cluster:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed:', `${'x'.repeat(41)}:`, ''].map((prefix) => pgStoreTables(prefix));
    expect(new Set(others.map((t) => t.history)).size).toBe(others.length);
    for (const tables of others) {
      for (const table of Object.values(tables)) expect(table).toMatch(/^belfry_[0-9a-f]{16}_(runs|nodes|control)$/);
    }
  });

  it('keeps pg clusters of different key prefixes apart: a pause in one is not seen in the other', async () => {
    const settings = config({ BELFRY_LOCKING: 'pg', DATABASE_URL });
    const clusters = [`belfry-select-${randomUUID()}:`, `belfry-select-${randomUUID()}:`].map((keyPrefix) => ({
      keyPrefix,
      locking: new PgLocking({ connectionString: DATABASE_URL, keyPrefix }),
    }));
    const [one, two] = await Promise.all(
      clusters.map(({ keyPrefix, locking }) => selectClusterStores({ ...settings, locking: { ...settings.locking, keyPrefix } }, locking, { clock: new ManualClock(START), logger: quiet() })),
    );
    try {
      await one!.control.pause(pause, { by: 'a' });
      expect((await one!.control.paused()).map((entry) => entry.target)).toEqual([pause]);
      expect(await two!.control.paused()).toEqual([]);
    } finally {
      await Promise.all([one!.close(), two!.close()]);
      for (const { keyPrefix, locking } of clusters) {
        const tables = Object.values(pgStoreTables(keyPrefix));
        await locking.pool.query(`DROP TABLE IF EXISTS ${[...tables, `${pgStoreTables(keyPrefix).history}_count`].join(', ')}`);
        await locking.cleanup();
      }
    }
  });

  it('puts the stores in the database of a pg lock backend, on its pool, tables created', async () => {
    const settings = config({ BELFRY_LOCKING: 'pg', DATABASE_URL });
    const locking = new PgLocking({ connectionString: DATABASE_URL });
    const stores = await selectClusterStores(settings, locking, { clock: new ManualClock(START), logger: quiet() });
    try {
      expect(stores.history).toBeInstanceOf(PgRunHistory);
      expect(stores.presence).toBeInstanceOf(PgPresence);
      expect(stores.control).toBeInstanceOf(PgControl);
      const target = { ...pause, scheduleId: `nightly-${randomUUID()}` };
      await stores.control.pause(target, { by: 'a' });
      const other = new PgControl({ connectionString: DATABASE_URL });
      expect((await other.paused()).map((entry) => entry.target)).toContainEqual(target);
      await stores.control.resume(target);
      expect((await other.paused()).map((entry) => entry.target)).not.toContainEqual(target);
      await other.close();
    } finally {
      await stores.close();
    }
    const lock = await locking.tryLock(`after-close-${randomUUID()}`, 1_000);
    expect(lock).not.toBeNull();
    await locking.release(lock!);
    await locking.cleanup();
  });
});

it('HOST_VERSION is the version in package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(HOST_VERSION).toBe(pkg.version);
});
