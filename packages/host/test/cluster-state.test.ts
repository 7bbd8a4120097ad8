import { describe, expect, it, vi } from 'vitest';
import type { ScheduledRunCtx, StatefulSnapshot } from '@belfry/plugin-api';
import { MemoryLocking } from '@belfry/locking-memory';
import { decodeSchedulerState, encodeSchedulerState, ManualClock, Scheduler, type PersistedScheduleState } from '@belfry/scheduler-core';
import { MemorySnapshotStore } from '@belfry/stateful-registry';
import { stateFenceKey, stateLockKey, withClusterStateHandoff } from '../src/cluster-state-handoff.js';
import { ClusterStateStore } from '../src/cluster-state-store.js';
import type { SharedState } from '../src/select-snapshot-store.js';
import { wireSnapshotStore } from '../src/wire-snapshot-store.js';

const SCHEDULER = 'belfry.scheduler';
const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() });

function schedule(plugin: string, scheduleId: string, handledThrough: number): PersistedScheduleState {
  return { plugin, scheduleId, expression: '10s', timezone: 'UTC', handledThrough, lastScheduledAt: handledThrough };
}

/** A node's view of a shared store; `global` lists its schedules under the global lock. */
function node(store: MemorySnapshotStore, nodeId: string, global: [string, string][] = [['report', 'daily']], idPrefix = '') {
  return new ClusterStateStore({ store, idPrefix, schedulerId: SCHEDULER, nodeId, globalSchedules: () => global, logger: quiet() });
}

const through = (snapshot: StatefulSnapshot | null) =>
  Object.fromEntries(decodeSchedulerState(SCHEDULER, snapshot!).map((state) => [`${state.plugin}/${state.scheduleId}`, state.handledThrough]));

describe('ClusterStateStore: the scheduler’s missed-run state', () => {
  it('merges global schedules across nodes by the later watermark, whichever node saves last', async () => {
    const store = new MemorySnapshotStore();
    const a = node(store, 'a');
    const b = node(store, 'b');
    await a.save(encodeSchedulerState(SCHEDULER, [schedule('report', 'daily', 5_000)]));
    // b saves later but is behind: a lagging node never rolls the cluster's watermark back.
    await b.save(encodeSchedulerState(SCHEDULER, [schedule('report', 'daily', 3_000)]));
    expect(through(await node(store, 'c').load(SCHEDULER))).toEqual({ 'report/daily': 5_000 });
    await b.save(encodeSchedulerState(SCHEDULER, [schedule('report', 'daily', 9_000)]));
    expect(through(await node(store, 'c').load(SCHEDULER))).toEqual({ 'report/daily': 9_000 });
  });

  it('keeps node_local schedules per node id, and a node with a new id starts them afresh', async () => {
    const store = new MemorySnapshotStore();
    await node(store, 'a').save(encodeSchedulerState(SCHEDULER, [schedule('report', 'daily', 7_000), schedule('stats', 'local', 1_000)]));
    await node(store, 'b').save(encodeSchedulerState(SCHEDULER, [schedule('stats', 'local', 2_000)]));
    expect(through(await node(store, 'a').load(SCHEDULER))).toEqual({ 'report/daily': 7_000, 'stats/local': 1_000 });
    expect(through(await node(store, 'b').load(SCHEDULER))).toEqual({ 'report/daily': 7_000, 'stats/local': 2_000 });
    expect(through(await node(store, 'renamed').load(SCHEDULER))).toEqual({ 'report/daily': 7_000 });
    expect(await store.list()).toEqual([`${SCHEDULER}:global:report:daily`, `${SCHEDULER}:node:a`, `${SCHEDULER}:node:b`]);
  });

  it('loads null from an empty store, and puts the key prefix before every id it writes', async () => {
    const store = new MemorySnapshotStore();
    const prefixed = node(store, 'a', [['report', 'daily']], 'blue:');
    expect(await prefixed.load(SCHEDULER)).toBeNull();
    await prefixed.save(encodeSchedulerState(SCHEDULER, [schedule('report', 'daily', 1)]));
    await prefixed.save({ id: 'report', version: 1, bytes: new Uint8Array([1]) });
    expect((await store.list()).every((id) => id.startsWith('blue:'))).toBe(true);
    expect(await node(store, 'a', [['report', 'daily']], 'green:').load('report')).toBeNull();
    expect(await prefixed.list()).toEqual([`${SCHEDULER}:global:report:daily`, `${SCHEDULER}:node:a`, 'report']);
  });
});

describe('ClusterStateStore: plugin state', () => {
  const bytes = (value: number) => new Uint8Array([value]);

  it('saves a plugin with a global schedule with the fence of the state the node holds, so an older node is refused', async () => {
    const store = new MemorySnapshotStore();
    const a = node(store, 'a');
    const b = node(store, 'b');
    expect(await a.load('report')).toBeNull();
    a.heldAt('report', 7);
    await a.save({ id: 'report', version: 1, bytes: bytes(7) });
    // b never ran the plugin globally: its periodic save must not overwrite the cluster's state.
    await b.save({ id: 'report', version: 1, bytes: bytes(0) });
    expect(await store.loadFenced('report')).toEqual({ snapshot: { id: 'report', version: 1, bytes: bytes(7) }, fence: 7 });
    expect(await b.load('report')).toEqual({ id: 'report', version: 1, bytes: bytes(7) });
    expect(b.fenceOf('report')).toBe(7);
  });

  it('keeps per-node state for a plugin without global schedules', async () => {
    const store = new MemorySnapshotStore();
    await node(store, 'a').save({ id: 'stats', version: 1, bytes: bytes(1) });
    await node(store, 'b').save({ id: 'stats', version: 1, bytes: bytes(2) });
    expect(await node(store, 'a').load('stats')).toEqual({ id: 'stats', version: 1, bytes: bytes(1) });
    expect(await node(store, 'b').load('stats')).toEqual({ id: 'stats', version: 1, bytes: bytes(2) });
  });

  it('leaves cluster-wide state in place when a node cannot read it, and deletes per-node state', async () => {
    const store = new MemorySnapshotStore();
    await store.saveFenced({ id: 'report', version: 3, bytes: bytes(3) }, 4);
    const a = node(store, 'a');
    await a.save({ id: 'stats', version: 1, bytes: bytes(1) });
    await a.delete('report');
    await a.delete('stats');
    expect(await store.list()).toEqual(['report']);
  });
});

describe('withClusterStateHandoff', () => {
  function counterPlugin() {
    let count = 0;
    const runs: number[] = [];
    return {
      scheduled: {
        name: 'report',
        schedules: () => [],
        run: (ctx: ScheduledRunCtx) => {
          count += 1;
          runs.push(ctx.fence ?? -1);
        },
      },
      stateful: {
        id: 'report',
        snapshot: () => ({ id: 'report', version: 1, bytes: new Uint8Array([count]) }),
        restoreSnapshot: (s: StatefulSnapshot) => {
          if (s.version !== 1) throw new Error(`version ${s.version} is not readable`);
          count = s.bytes[0]!;
        },
      },
      get count() {
        return count;
      },
      runs,
    };
  }

  const ctx = (fence?: number): ScheduledRunCtx => ({ scheduleId: 'daily', scheduledAt: 0, runCount: 1, isCatchup: false, signal: new AbortController().signal, ...(fence === undefined ? {} : { fence }) });

  function setup() {
    const clock = new ManualClock(0);
    const locking = new MemoryLocking({ clock });
    const store = new MemorySnapshotStore();
    const logger = quiet();
    const wire = (id: string) => {
      const plugin = counterPlugin();
      const state = node(store, id);
      const wrapped = withClusterStateHandoff(plugin.scheduled, plugin.stateful, { state, locking, clock, logger, lockTtlMs: 1_000 });
      return { plugin, state, wrapped };
    };
    return { clock, locking, store, logger, wire };
  }

  it('carries the count from node to node: each global run restores the newer cluster state, runs, and saves with its state fence', async () => {
    const { store, wire } = setup();
    const a = wire('a');
    const b = wire('b');
    await a.wrapped.run(ctx(100));
    await b.wrapped.run(ctx(200));
    await a.wrapped.run(ctx(300));
    expect([a.plugin.count, b.plugin.count]).toEqual([3, 2]);
    const stored = await store.loadFenced('report');
    expect(stored?.snapshot.bytes).toEqual(new Uint8Array([3]));
    expect(stored?.fence).toBe(a.state.fenceOf('report'));
  });

  it('uses one fence scope per plugin, so the fences of runs of different schedules compare', async () => {
    const { locking, wire } = setup();
    const tryLock = vi.spyOn(locking, 'tryLock');
    const a = wire('a');
    await a.wrapped.run(ctx(5));
    expect(tryLock).toHaveBeenCalledWith(stateLockKey('report'), 1_000, { fenceKey: stateFenceKey('report') });
    expect(stateLockKey('report')).toBe('belfry:state:report');
  });

  it('runs a node-local firing (no fence) on the node’s own copy, without lock or store', async () => {
    const { store, wire } = setup();
    const a = wire('a');
    await a.wrapped.run(ctx());
    expect(a.plugin.count).toBe(1);
    expect(await store.list()).toEqual([]);
  });

  it('does not start a run whose plugin cannot read the cluster’s state, and leaves that state alone', async () => {
    const { store, wire, locking } = setup();
    await store.saveFenced({ id: 'report', version: 9, bytes: new Uint8Array([42]) }, 50);
    const a = wire('a');
    await expect(a.wrapped.run(ctx(1))).rejects.toThrow(/could not restore the cluster's state \(fence 50\), so this run did not start: version 9 is not readable/);
    expect(a.plugin.runs).toEqual([]);
    expect((await store.loadFenced('report'))?.fence).toBe(50);
    // The state lock was released: the next run takes it at once.
    expect(await locking.tryLock(stateLockKey('report'), 1_000)).not.toBeNull();
  });

  it('waits while another node holds the plugin’s state lock, then runs on the state that node saved', async () => {
    const { clock, locking, wire } = setup();
    const a = wire('a');
    const b = wire('b');
    const held = await locking.tryLock(stateLockKey('report'), 1_000, { fenceKey: stateFenceKey('report') });
    const waiting = b.wrapped.run(ctx(2));
    await clock.advance(200);
    expect(b.plugin.runs).toEqual([]);
    await locking.release(held!);
    await a.wrapped.run(ctx(1));
    await clock.advance(100);
    await waiting;
    expect(b.plugin.count).toBe(2);
  });

  it('refuses the save of a run that outlived its state lock, so it cannot roll back what a later run saved', async () => {
    const { clock, locking, store, logger, wire } = setup();
    const a = wire('a');
    const b = wire('b');
    // a's renewals fail, as when its server is unreachable for a while: its state lock expires under the run.
    vi.spyOn(locking, 'renew').mockRejectedValue(new Error('renew failed'));
    let finish: () => void = () => undefined;
    const slow = withClusterStateHandoff(
      { ...a.plugin.scheduled, run: () => new Promise<void>((resolve) => (finish = resolve)) },
      a.plugin.stateful,
      { state: a.state, locking, clock, logger, lockTtlMs: 1_000 },
    );
    const stuck = slow.run(ctx(1));
    await clock.advance(1_500);
    vi.mocked(locking.renew).mockRestore();
    await b.wrapped.run(ctx(2));
    const saved = await store.loadFenced('report');
    finish();
    await stuck;
    expect(await store.loadFenced('report')).toEqual(saved);
    expect(saved?.snapshot.bytes).toEqual(new Uint8Array([1]));
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('was refused: a later run saved first (this run outlived its state lock)'));
  });

  it('gives up with a clear error when the state stays locked for the lock TTL', async () => {
    const { clock, locking, wire } = setup();
    const a = wire('a');
    await locking.tryLock(stateLockKey('report'), 60_000, { fenceKey: stateFenceKey('report') });
    const attempt = Promise.resolve(a.wrapped.run(ctx(1))).catch((error: unknown) => error);
    await clock.advance(1_100);
    expect(String(await attempt)).toMatch(/the state of plugin "report" stayed locked by another node's run for 1000 ms \(lock_ttl_ms\); this run did not start/);
    expect(a.plugin.runs).toEqual([]);
  });
});

describe('wireSnapshotStore with shared state', () => {
  it('saves a global schedule’s watermark after each of its runs, without waiting for a snapshot pass', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const locking = new MemoryLocking({ clock });
    const store = new MemorySnapshotStore();
    const scheduler = new Scheduler({ locking, clock, logger: quiet(), nodeId: 'a' });
    const state: SharedState = { kind: 'shared', store, idPrefix: '', where: 'memory', close: async () => undefined };
    const wiring = wireSnapshotStore(state, { scheduler, locking, clock, logger: quiet(), nodeId: 'a', lockTtlMs: 1_000 });
    const ran: number[] = [];
    await scheduler.register({ name: 'report', schedules: () => [{ id: 'daily', cron: '10s', locking: 'require_global' }], run: (ctx) => void ran.push(ctx.scheduledAt) });
    await scheduler.register({ name: 'stats', schedules: () => [{ id: 'local', cron: '10s', locking: 'node_local' }], run: () => undefined });
    await scheduler.start();
    await clock.advance(10_000);
    await vi.waitFor(async () => expect((await store.loadFenced(`${SCHEDULER}:global:report:daily`))?.fence).toBeGreaterThanOrEqual(ran[0]!));
    // node_local state waits for the snapshot pass, and then goes to this node's record.
    expect(await store.list()).toEqual([`${SCHEDULER}:global:report:daily`]);
    await wiring.store.save(scheduler.snapshot());
    expect(await store.list()).toEqual([`${SCHEDULER}:global:report:daily`, `${SCHEDULER}:node:a`]);
    await scheduler.stop({ graceMs: 0 });
  });
});
