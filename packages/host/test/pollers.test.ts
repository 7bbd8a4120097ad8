import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PgCursorStore } from '@belfry/store-pg';
import { RedisCursorStore } from '@belfry/store-redis';
import { ManualClock } from '@belfry/scheduler-core';
import { BelfryHost } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;
/** Longest a real poller process may take to answer one tick on a busy machine before the test calls it hung. */
const TICK_HANG_GUARD_MS = 20_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const serveModule = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('@belfry/poller/package.json')), 'dist/serve.js')).href;

/** A Node poller serving kind `counter`: its cursor counts ticks, `config.mode` makes a tick fail. */
const counterPoller = {
  toml: manifest('counters', ['poller'], '[plugin.poller]\nkinds = ["counter", "gauge"]\nbroker_topic_prefix = "test"\ntick_timeout_secs = 30\n'),
  entry: `import { existsSync, writeFileSync } from 'node:fs';
import { servePoller } from ${JSON.stringify(serveModule)};
globalThis.__belfryPollerImported = true;
const counter = async (tick) => {
  if (tick.config?.mode === 'error') throw new Error('the source answered 503');
  // Holds the tick until the test removes the file (real time: the other node's tick must meet it running).
  if (tick.config?.hold !== undefined) {
    writeFileSync(tick.config.hold + '.held', '');
    while (existsSync(tick.config.hold)) await new Promise((r) => setTimeout(r, 20));
  }
  const n = (tick.cursor?.n ?? 0) + 1;
  return { cursor: { n, note: tick.config?.note ?? null }, metrics: { items: 1, n, fence: tick.fence ?? -1, catchup: tick.isCatchup ? 1 : 0, granted: process.env.FEED_FLAG === 'yes' ? 1 : 0, leaked: process.env.DATABASE_URL === undefined ? 0 : 1 } };
};
servePoller({ counter, gauge: counter });
`,
};

const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const hosts: BelfryHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop({ graceMs: 0 })));
});

async function start(file: string, clock: ManualClock, env: Record<string, string> = {}, pollerEnv?: Record<string, Record<string, string>>) {
  const host = await BelfryHost.start({ file, env, clock, logger: quiet(), ...(pollerEnv === undefined ? {} : { pollerEnv }) });
  hosts.push(host);
  return host;
}

/** The next poller run to finish on `host`, success or error. */
function nextTick(host: BelfryHost): Promise<{ outcome: 'success' | 'error'; scheduleId: string; fence?: number; isCatchup: boolean }> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('no poller run finished within the hang guard')), TICK_HANG_GUARD_MS);
    const done = (outcome: 'success' | 'error') => (e: { plugin: string; scheduleId: string; isCatchup: boolean }) => {
      if (!e.plugin.startsWith('poller:')) return;
      clearTimeout(guard);
      offSuccess();
      offError();
      resolve({ outcome, scheduleId: e.scheduleId, isCatchup: e.isCatchup });
    };
    const offSuccess = host.scheduler.on('run:success', done('success'));
    const offError = host.scheduler.on('run:error', done('error'));
  });
}

async function advanceAndTick(host: BelfryHost, clock: ManualClock, ms: number) {
  const tick = nextTick(host);
  await clock.advance(ms);
  return tick;
}

const job = (id: string, fields = '') => `[[pollers]]\nid = "${id}"\nkind = "counter"\ncron = "10s"\n${fields}\n`;
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('BelfryHost poller jobs: settings checked against the loaded plugins', () => {
  it('refuses a kind no loaded plugin serves, naming the job key and the nearest kind, without starting anything', async () => {
    const { file } = hostFolder({ counters: counterPoller }, `[[pollers]]\nid = "a"\nkind = "counter"\ncron = "5m"\n[[pollers]]\nid = "b"\nkind = "countr"\ncron = "5m"\n`);
    await expect(start(file, new ManualClock(START))).rejects.toThrow(
      `${file}: pollers[1].kind: no loaded plugin serves poller kind "countr"; did you mean "counter"? Fix: set it to one of counter, gauge, or add the plugin that serves it`,
    );
    expect((globalThis as { __belfryPollerImported?: boolean }).__belfryPollerImported).toBeUndefined();
  });

  it('says when no loaded plugin declares [plugin.poller] at all', async () => {
    const { file } = hostFolder({}, job('a'));
    await expect(start(file, new ManualClock(START))).rejects.toThrow(
      `${file}: pollers[0].kind: no loaded plugin serves poller kind "counter"; no loaded plugin declares [plugin.poller]. Fix: add the plugin that serves it to the plugins folder, or remove the job`,
    );
  });

  it('refuses a job id given twice by settings built in code', async () => {
    const { file } = hostFolder({ counters: counterPoller });
    const { loadHostConfig } = await import('../src/index.js');
    const config = loadHostConfig({ file, env: {} });
    const twice = { id: 'same', kind: 'counter', cron: '5m', locking: 'require_global' as const, missedRunPolicy: 'run_once' as const, config: null };
    config.pollers = [{ ...twice, where: 'code: pollers[0]' }, { ...twice, where: 'code: pollers[1]' }];
    await expect(BelfryHost.start({ config, clock: new ManualClock(START), logger: quiet() })).rejects.toThrow(
      'code: pollers[1].id: job id "same" is already used by code: pollers[0]. Fix: give each job its own id',
    );
  });

  it('refuses pollerEnv for a plugin that is not a loaded poller plugin', async () => {
    const { file } = hostFolder({ counters: counterPoller }, job('a'));
    await expect(start(file, new ManualClock(START), {}, { feeds: { A: 'b' } })).rejects.toThrow(
      'BelfryHost.start: options.pollerEnv names plugin "feeds", which is not a loaded plugin with [plugin.poller]; poller plugins: counters',
    );
  });
});

describe('BelfryHost poller jobs on the memory lock backend', { timeout: 3 * TICK_HANG_GUARD_MS }, () => {
  it('ticks each job on its schedule in a real poller process, saving the cursor with the run fence in the state folder', async () => {
    const { file, dir } = hostFolder({ counters: counterPoller }, job('feed-a', 'config = { note = "hello" }') + job('broken', 'config = { mode = "error" }'));
    const clock = new ManualClock(START);
    process.env.DATABASE_URL ??= DATABASE_URL;
    const host = await start(file, clock, {}, { counters: { FEED_FLAG: 'yes' } });
    const before = host.status().pollers;
    expect(before.cursorStore).toBe('file');
    expect(before.jobs.map((j) => [j.id, j.kind, j.plugin, j.schedulePlugin, j.expression, j.lastTick, j.ticks])).toEqual([
      ['feed-a', 'counter', 'counters', 'poller:counters', '10s', null, { ok: 0, failed: 0, stale: 0, skipped: 0 }],
      ['broken', 'counter', 'counters', 'poller:counters', '10s', null, { ok: 0, failed: 0, stale: 0, skipped: 0 }],
    ]);
    const pid = before.jobs[0]!.process.pid!;
    expect(before.jobs[0]!.process).toEqual({ lifecycle: 'long_lived', state: 'running', pid });

    // Both jobs fire at +10 s.
    await clock.advance(10_000);
    await vi.waitFor(() => expect(host.runs.recent().filter((r) => r.plugin === 'poller:counters')).toHaveLength(2), { timeout: TICK_HANG_GUARD_MS });
    const runs = host.runs.recent();
    const good = runs.find((r) => r.scheduleId === 'feed-a')!;
    expect(good).toMatchObject({ plugin: 'poller:counters', outcome: 'success', scheduledAt: START + 10_000, locking: 'require_global' });
    expect(good.metrics).toEqual({ items: 1, n: 1, fence: good.fence, catchup: 0, granted: 1, leaked: 0 });
    expect(runs.find((r) => r.scheduleId === 'broken')).toMatchObject({ outcome: 'error', error: expect.stringContaining('the source answered 503') });

    const [a, broken] = host.status().pollers.jobs;
    expect(a).toMatchObject({
      lastTick: { scheduledAt: START + 10_000, outcome: 'ok', isCatchup: false, fence: good.fence, error: null },
      lastCursor: { text: '{"n":1,"note":"hello"}', truncated: false, fence: good.fence },
      // Only what pollerEnv grants reaches the process: not the host's own DATABASE_URL.
      lastMetrics: { items: 1, n: 1, fence: good.fence, catchup: 0, granted: 1, leaked: 0 },
      ticks: { ok: 1, failed: 0, stale: 0, skipped: 0 },
    });
    expect(broken).toMatchObject({ lastTick: { outcome: 'error', error: expect.stringMatching(/^poller_tick_failed: .*the source answered 503/) }, lastCursor: null, ticks: { ok: 0, failed: 1, stale: 0, skipped: 0 } });
    const stored = JSON.parse(readFileSync(join(dir, '.belfry-state', 'cursors', 'feed-a.cursor.json'), 'utf8'));
    expect(stored).toMatchObject({ job: 'feed-a', fence: good.fence, cursor: { n: 1, note: 'hello' } });
    expect(existsSync(join(dir, '.belfry-state', 'cursors', 'broken.cursor.json'))).toBe(false);

    await host.stop({ graceMs: 0 });
    expect(host.status().pollers.jobs[0]!.process).toEqual({ lifecycle: 'long_lived', state: 'stopped', pid: null });
    expect(isAlive(pid)).toBe(false);
  });

  it('catches up a missed tick after a restart, resuming from the stored cursor; a paused job does not tick', async () => {
    const { file } = hostFolder({ counters: counterPoller }, `[[pollers]]\nid = "feed-b"\nkind = "counter"\ncron = "5m"\n`);
    const clock = new ManualClock(START);
    const first = await start(file, clock);
    expect(await advanceAndTick(first, clock, 5 * MINUTE)).toMatchObject({ outcome: 'success', isCatchup: false });
    first.scheduler.pause('poller:counters', 'feed-b');
    const skipped = new Promise((resolve) => first.scheduler.on('run:skip', resolve));
    await clock.advance(5 * MINUTE);
    expect(await skipped).toMatchObject({ scheduleId: 'feed-b', reason: 'paused' });
    expect(first.status().pollers.jobs[0]!.ticks).toEqual({ ok: 1, failed: 0, stale: 0, skipped: 0 });
    await first.stop({ graceMs: 0 });

    // Down until +37 min: run_once makes one catch-up tick for +35 min, continuing the stored cursor.
    const later = new ManualClock(START + 37 * MINUTE);
    const host = await start(file, later);
    await later.advance(1_000);
    await vi.waitFor(() => expect(host.runs.recent().find((r) => r.isCatchup && r.outcome === 'success')).toBeDefined(), { timeout: TICK_HANG_GUARD_MS });
    expect(host.status().pollers.jobs[0]).toMatchObject({
      lastTick: { scheduledAt: START + 35 * MINUTE, isCatchup: true, outcome: 'ok' },
      lastMetrics: { n: 2, catchup: 1 },
      lastCursor: { text: '{"n":2,"note":null}' },
    });
  });
});

describe.each([
  ['redis', () => ({ BELFRY_LOCKING: 'redis', REDIS_URL: REDIS_URL })],
  ['pg', () => ({ BELFRY_LOCKING: 'pg', DATABASE_URL: DATABASE_URL })],
])('BelfryHost poller jobs on the %s lock backend', { timeout: 3 * TICK_HANG_GUARD_MS }, (backend, env) => {
  it('keeps cursors in the shared store, fenced by the run, so a second node resumes where the first stopped', async () => {
    const id = `feed-${randomUUID().slice(0, 8)}`;
    const prefix = `host-pollers-${randomUUID()}:`;
    const { file } = hostFolder({ counters: counterPoller }, `[locking]\nkey_prefix = "${prefix}"\n${job(id)}`);
    const clock = new ManualClock(START);
    const host = await start(file, clock, env());
    expect(host.status().pollers.cursorStore).toBe(backend);
    expect(await advanceAndTick(host, clock, 10_000)).toMatchObject({ outcome: 'success' });
    const fence = host.runs.recent()[0]!.fence!;
    expect(fence).toBeGreaterThan(0);
    await host.stop({ graceMs: 0 });

    const store = backend === 'redis' ? new RedisCursorStore({ url: REDIS_URL, keyPrefix: prefix }) : new PgCursorStore({ connectionString: DATABASE_URL });
    try {
      expect(await store.load(id)).toEqual({ cursor: { n: 1, note: null }, fence });
      // A node whose run holds a lower fence cannot roll the cursor back.
      expect(await store.save(id, { n: 0 }, fence - 1)).toBe('stale');
    } finally {
      await store.close();
    }

    // Another node (its own state folder, same cluster) picks up the shared cursor.
    const other = hostFolder({ counters: counterPoller }, `[locking]\nkey_prefix = "${prefix}"\n${job(id)}`);
    const resumed = new ManualClock(START + 10_000);
    const node = await start(other.file, resumed, env());
    expect(await advanceAndTick(node, resumed, 10_000)).toMatchObject({ outcome: 'success' });
    expect(node.status().pollers.jobs[0]).toMatchObject({ lastMetrics: { n: 2 }, lastCursor: { text: '{"n":2,"note":null}' } });
    expect(node.status().pollers.jobs[0]!.lastTick!.fence).toBeGreaterThan(fence);
  });

  it('never overlaps two ticks of one job across nodes: an occurrence meeting a running tick is left to it', async () => {
    const id = `slow-${randomUUID().slice(0, 8)}`;
    const prefix = `host-pollers-${randomUUID()}:`;
    const { file, dir } = hostFolder({ counters: counterPoller }, `[locking]\nkey_prefix = "${prefix}"\n`);
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    writeFileSync(file, `${readFileSync(file, 'utf8')}${job(id, `config = { hold = ${JSON.stringify(hold)} }`)}`);
    const clockA = new ManualClock(START);
    const a = await start(file, clockA, env());
    const clockB = new ManualClock(START + 10_000);
    const b = await start(file, clockB, env());

    // Node a starts the +10 s tick and holds it; node b's +20 s occurrence finds the job busy.
    const slow = nextTick(a);
    await clockA.advance(10_000);
    await vi.waitFor(() => expect(existsSync(`${hold}.held`)).toBe(true), { timeout: TICK_HANG_GUARD_MS });
    expect(await advanceAndTick(b, clockB, 10_000)).toMatchObject({ outcome: 'error' });
    expect(b.runs.recent()[0]).toMatchObject({ outcome: 'error', error: expect.stringContaining('a tick of this job is still running on another node') });
    expect(b.status().pollers.jobs[0]).toMatchObject({ lastTick: null, ticks: { ok: 0, failed: 0, stale: 0, skipped: 1 } });

    rmSync(hold);
    expect(await slow).toMatchObject({ outcome: 'success' });
    // Released: node b's next occurrence ticks, continuing node a's cursor.
    expect(await advanceAndTick(b, clockB, 10_000)).toMatchObject({ outcome: 'success' });
    expect(b.status().pollers.jobs[0]).toMatchObject({ lastMetrics: { n: 2 }, ticks: { ok: 1, skipped: 1 } });
  });
});
