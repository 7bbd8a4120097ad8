import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeInfo, Presence, RunHistory, RunRecord } from '@belfry/plugin-api';
import { ManualClock } from '@belfry/scheduler-core';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '@belfry/stateful-registry';
import { BelfryHost, type StartHostOptions } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
/** The recorder's default batching delay: records of runs up to now are in the store once the clock has moved this far. */
const FLUSH_MS = 1_000;
const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const hosts: BelfryHost[] = [];
const TICK = { kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' } as const;

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop({ graceMs: 0 })));
});

const ticker = {
  toml: manifest('ticker', ['scheduled'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "node_local"\n'),
  entry: 'export default { run(ctx) { if (globalThis.__tickerFails) throw new Error("cannot reach redis://admin:hunter2@10.0.0.9:6379"); } };',
};

/** Three stores shared by every host of one test, each host with its own handle, as separate processes would have. */
function sharedStores(clock: ManualClock) {
  const history = new MemoryRunHistory({ clock });
  const presence = new MemoryPresence({ clock });
  const control = new MemoryControl({ clock });
  return { history, presence, control, handle: () => ({ history: history.peer(), presence: presence.peer(), control: control.peer() }) };
}

async function start(file: string, nodeId: string, clock: ManualClock, options: Partial<StartHostOptions> = {}) {
  const logger = quiet();
  const host = await BelfryHost.start({ file, env: { BELFRY_NODE_ID: nodeId }, clock, logger, ...options });
  hosts.push(host);
  return { host, logger };
}

/** Lets microtask-queued notifications (MemoryControl's watchers) arrive. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function allRuns(history: RunHistory): Promise<RunRecord[]> {
  return (await history.query({ limit: 1000 })).runs;
}

describe('BelfryHost in a cluster', () => {
  it('appends the runs of every node to one run history, one record per firing and node', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    const a = await start(file, 'node-a', clock, { clusterStores: stores.handle() });
    await start(file, 'node-b', clock, { clusterStores: stores.handle() });
    await clock.advance(30_000 + FLUSH_MS);

    const runs = await allRuns(stores.history);
    const byNode = (nodeId: string) => runs.filter((run) => run.nodeId === nodeId).map((run) => run.scheduledAt);
    expect(byNode('node-a')).toEqual([START + 30_000, START + 20_000, START + 10_000]);
    expect(byNode('node-b')).toEqual([START + 30_000, START + 20_000, START + 10_000]);
    expect(new Set(runs.map((run) => run.id)).size).toBe(6);
    expect(runs[0]).toMatchObject({ plugin: 'ticker', scheduleId: 'tick', locking: 'node_local', outcome: 'success', isCatchup: false, manual: false, durationMs: 0 });
    expect(runs[0]!.id).toMatch(/^[\x21-\x7e]{1,128}$/);
    expect(a.host.status().runHistory).toEqual({ appended: 3, pending: 0, dropped: 0, failing: false });
  });

  it('records the fence of a run that held the global lock', async () => {
    const globalTicker = { toml: manifest('ticker', ['scheduled'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\n'), entry: ticker.entry };
    const { file } = hostFolder({ ticker: globalTicker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    await start(file, 'node-a', clock, { clusterStores: stores.handle() });
    await clock.advance(10_000 + FLUSH_MS);
    const [run] = await allRuns(stores.history);
    expect(run).toMatchObject({ locking: 'require_global', outcome: 'success' });
    expect(run!.fence).toBeGreaterThan(0);
  });

  it('records a failed run with its error text, passwords redacted, and a manual run as manual on its own node only', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    await start(file, 'node-a', clock, { clusterStores: stores.handle() });
    const b = await start(file, 'node-b', clock, { clusterStores: stores.handle() });
    (globalThis as { __tickerFails?: boolean }).__tickerFails = true;
    try {
      expect(await b.host.runNow('ticker', 'tick')).toBe('error');
    } finally {
      delete (globalThis as { __tickerFails?: boolean }).__tickerFails;
    }
    await clock.advance(FLUSH_MS);
    const runs = await allRuns(stores.history);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ nodeId: 'node-b', outcome: 'error', manual: true, scheduledAt: START });
    expect(runs[0]!.error).toContain('cannot reach redis://admin:***@10.0.0.9:6379');
    expect(runs[0]!.error).not.toContain('hunter2');
  });

  it('lists every live node with its version, backend and status, and drops a node that stopped', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    const a = await start(file, 'node-a', clock, { clusterStores: stores.handle(), version: '2.4.1' });
    await start(file, 'node-b', clock, { clusterStores: stores.handle() });
    expect(await stores.presence.list()).toEqual([
      { nodeId: 'node-a', version: '2.4.1', startedAt: START, backend: 'memory', status: 'running', lastSeenAt: START },
      { nodeId: 'node-b', version: '0.1.0', startedAt: START, backend: 'memory', status: 'running', lastSeenAt: START },
    ]);
    // Refreshed on the clock: a minute on, both are still listed, seen within the last refresh interval.
    await clock.advance(60_000);
    const live = await stores.presence.list();
    expect(live.map((node) => node.nodeId)).toEqual(['node-a', 'node-b']);
    for (const node of live) expect(node.lastSeenAt).toBeGreaterThan(START + 60_000 - 5_000);

    await a.host.stop({ graceMs: 0 });
    expect((await stores.presence.list()).map((node) => node.nodeId)).toEqual(['node-b']);
  });

  it('publishes starting, then running, then stopping, then withdraws', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const presence = new MemoryPresence({ clock });
    const said: string[] = [];
    const recording: Presence = {
      publish: (node: NodeInfo, ttlMs: number) => {
        said.push(node.status);
        return presence.publish(node, ttlMs);
      },
      list: () => presence.list(),
      withdraw: (nodeId: string) => {
        said.push('withdrawn');
        return presence.withdraw(nodeId);
      },
    };
    const { host } = await start(file, 'node-a', clock, { clusterStores: { presence: recording } });
    await host.stop({ graceMs: 0 });
    expect(said).toEqual(['starting', 'running', 'stopping', 'withdrawn']);
  });

  it('lets a crashed node drop out when its TTL runs out', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    await start(file, 'node-a', clock, { clusterStores: stores.handle() });
    // node-b "crashes": from now on nothing it says reaches the store.
    let crashed = false;
    const bPresence = stores.presence.peer();
    const gone = () => Promise.reject(new Error('the node is gone'));
    const crashable: Presence = {
      publish: (node, ttlMs) => (crashed ? gone() : bPresence.publish(node, ttlMs)),
      list: () => bPresence.list(),
      withdraw: (nodeId) => (crashed ? gone() : bPresence.withdraw(nodeId)),
    };
    await start(file, 'node-b', clock, { clusterStores: { ...stores.handle(), presence: crashable } });
    crashed = true;
    await clock.advance(14_000);
    expect((await stores.presence.list()).map((node) => node.nodeId)).toEqual(['node-a', 'node-b']);
    await clock.advance(1_000);
    expect((await stores.presence.list()).map((node) => node.nodeId)).toEqual(['node-a']);
  });

  it('honours on every node a pause set through one, and a resume through another', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    const a = await start(file, 'node-a', clock, { clusterStores: stores.handle() });
    const b = await start(file, 'node-b', clock, { clusterStores: stores.handle() });

    await a.host.pause(TICK, { reason: 'maintenance' });
    await settle();
    expect(await b.host.cluster.control.paused()).toEqual([{ target: TICK, by: 'node-a', reason: 'maintenance', pausedAt: START }]);
    await clock.advance(10_000 + FLUSH_MS);
    const skipped = await stores.history.query({ outcome: 'skipped', limit: 10 });
    expect(skipped.runs.map((run) => [run.nodeId, run.skipReason, run.scheduledAt]).sort()).toEqual([
      ['node-a', 'paused', START + 10_000],
      ['node-b', 'paused', START + 10_000],
    ]);
    expect(b.host.status().scheduler.schedules[0]).toMatchObject({ paused: true, lastSkipReason: 'paused' });

    await b.host.resume(TICK);
    await settle();
    await clock.advance(10_000 + FLUSH_MS);
    const ran = await stores.history.query({ outcome: 'success', limit: 10 });
    expect(ran.runs.map((run) => run.nodeId).sort()).toEqual(['node-a', 'node-b']);
    expect(a.host.status().scheduler.schedules[0]).toMatchObject({ paused: false, lastOutcome: 'success' });
  });

  it('applies a pause set before the node started, so its first firing is already skipped', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const stores = sharedStores(clock);
    await stores.control.pause(TICK, { by: 'operator' });
    const { host } = await start(file, 'node-c', clock, { clusterStores: stores.handle() });
    expect(host.status().scheduler.schedules[0]!.paused).toBe(true);
    await clock.advance(10_000);
    expect(host.runs.recent()[0]).toMatchObject({ outcome: 'skipped', reason: 'paused' });
  });

  it('refuses a malformed pause target, naming what is wrong', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const { host } = await start(file, 'node-a', clock);
    await expect(host.pause({ kind: 'schedule', plugin: 'ticker' } as never)).rejects.toThrow(/BelfryHost\.pause: .*scheduleId/);
    await expect(host.resume({ kind: 'job' } as never)).rejects.toThrow(/BelfryHost\.resume: /);
  });

  it('keeps running when the run history fails, warns once, and sends the kept runs once it works again', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const history = new MemoryRunHistory({ clock });
    let failing = true;
    const flaky: RunHistory = {
      append: (runs) => (failing ? Promise.reject(new Error('store is down')) : history.append(runs)),
      query: (query) => history.query(query),
    };
    const { host, logger } = await start(file, 'node-a', clock, { clusterStores: { history: flaky } });
    await clock.advance(30_000 + FLUSH_MS);
    expect(host.status().scheduler.schedules[0]).toMatchObject({ runCount: 3, errorCount: 0, lastOutcome: 'success' });
    expect(host.status().runHistory).toMatchObject({ appended: 0, pending: 3, failing: true });
    const warnings = logger.warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('run history store failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('store is down');

    failing = false;
    await clock.advance(FLUSH_MS);
    expect((await allRuns(history)).map((run) => run.scheduledAt)).toEqual([START + 30_000, START + 20_000, START + 10_000]);
    expect(host.status().runHistory).toMatchObject({ appended: 3, pending: 0, failing: false });
  });

  it('does not let a run history that never answers hold shutdown beyond its bound', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    const hanging: RunHistory = { append: () => new Promise(() => {}), query: async () => ({ runs: [], next: null }) };
    const { host, logger } = await start(file, 'node-a', clock, { clusterStores: { history: hanging } });
    await clock.advance(10_000);
    let stopped = false;
    const stopping = host.stop({ graceMs: 0 }).then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    await clock.advance(5_000);
    await stopping;
    expect(stopped).toBe(true);
    expect(logger.warn.mock.calls.map(([line]) => String(line))).toContainEqual(expect.stringContaining('1 run(s) could not be written to the run history before shutdown'));
  });

  it('checks the cluster stores and version it is given', async () => {
    const { file } = hostFolder({ ticker });
    const clock = new ManualClock(START);
    await expect(start(file, 'node-a', clock, { clusterStores: { history: { append: async () => {} } as never } })).rejects.toThrow(
      'options.clusterStores.history must be a RunHistory (append, query); it has no query function',
    );
    await expect(start(file, 'node-a', clock, { clusterStores: { histroy: new MemoryRunHistory() } as never })).rejects.toThrow('options.clusterStores has an unknown key "histroy"');
    await expect(start(file, 'node-a', clock, { version: '' })).rejects.toThrow('BelfryHost.start: options.version must be a string of 1 to 256 characters');
  });
});
