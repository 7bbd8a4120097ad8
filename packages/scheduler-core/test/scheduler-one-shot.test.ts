import { describe, expect, it } from 'vitest';
import type { MissedRunPolicy, Schedule } from '@belfry/plugin-api';
import { ManualClock, Scheduler } from '../src/index.js';
import { Cluster } from './cluster.js';
import { collectEvents, RecordingLogger, recordingPlugin, T0 } from './support.js';

const HOUR = 3_600_000;
const AT = T0 + HOUR;
const atText = new Date(AT).toISOString();

async function startAt(now: number, schedules: Schedule[], bytes?: Uint8Array) {
  const clock = new ManualClock(now);
  const scheduler = new Scheduler({ clock, logger: new RecordingLogger() });
  const events = collectEvents(scheduler);
  if (bytes !== undefined) scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes });
  const plugin = recordingPlugin('p', schedules);
  await scheduler.register(plugin);
  await scheduler.start();
  return { clock, scheduler, events, plugin };
}

describe('one-shot schedules (at)', () => {
  it('fire once at the instant; status shows the instant, then no next run', async () => {
    const { clock, scheduler, plugin } = await startAt(T0, [{ id: 'once', at: atText, locking: 'node_local' }]);
    expect(scheduler.status().schedules[0]).toMatchObject({ expression: atText, nextRunAt: AT });
    await clock.advance(3 * HOUR);
    expect(plugin.runs.map((r) => ({ at: r.scheduledAt, catchup: r.isCatchup }))).toEqual([{ at: AT, catchup: false }]);
    expect(scheduler.status().schedules[0]?.nextRunAt).toBeNull();
    await scheduler.stop({ graceMs: 0 });
  });

  it('never run again after a restart from the restored snapshot', async () => {
    const first = await startAt(T0, [{ id: 'once', at: atText, locking: 'node_local' }]);
    await first.clock.advance(2 * HOUR);
    await first.scheduler.stop({ graceMs: 0 });
    const bytes = (await first.scheduler.snapshot()).bytes;
    expect(first.plugin.runs).toHaveLength(1);

    const second = await startAt(T0 + 5 * HOUR, [{ id: 'once', at: atText, locking: 'node_local' }], bytes);
    await second.clock.advance(HOUR);
    expect(second.plugin.runs).toHaveLength(0);
    expect(second.scheduler.status().schedules[0]?.nextRunAt).toBeNull();
    await second.scheduler.stop({ graceMs: 0 });
  });

  it.each<[MissedRunPolicy, number]>([
    ['run_once', 1],
    ['run_all', 1],
    ['skip', 0],
  ])('past at start with policy %s: %i catch-up run(s), none after a restart', async (policy, runs) => {
    const now = AT + 2 * HOUR;
    const first = await startAt(now, [{ id: 'once', at: atText, missedRunPolicy: policy, locking: 'node_local' }]);
    await first.clock.advance(HOUR);
    expect(first.plugin.runs.map((r) => ({ at: r.scheduledAt, catchup: r.isCatchup }))).toEqual(
      runs === 1 ? [{ at: AT, catchup: true }] : [],
    );
    if (policy === 'skip') expect(first.events.some((e) => e.name === 'run:skip')).toBe(true);
    await first.scheduler.stop({ graceMs: 0 });
    const bytes = (await first.scheduler.snapshot()).bytes;

    const second = await startAt(now + 2 * HOUR, [{ id: 'once', at: atText, missedRunPolicy: policy, locking: 'node_local' }], bytes);
    await second.clock.advance(HOUR);
    expect(second.plugin.runs).toHaveLength(0);
    await second.scheduler.stop({ graceMs: 0 });
  });

  it('skip a paused one-shot as paused and do not run it on resume', async () => {
    const { clock, scheduler, plugin, events } = await startAt(T0, [{ id: 'once', at: atText, locking: 'node_local' }]);
    scheduler.pause('p', 'once');
    await clock.advance(2 * HOUR);
    scheduler.resume('p', 'once');
    await clock.advance(2 * HOUR);
    expect(plugin.runs).toHaveLength(0);
    expect(events.filter((e) => e.name === 'run:skip').map((e) => 'reason' in e.event && e.event.reason)).toEqual(['paused']);
    await scheduler.stop({ graceMs: 0 });
  });

  it('add jitter without changing the occurrence', async () => {
    const { clock, scheduler, plugin } = await startAt(T0, [{ id: 'once', at: atText, jitterMs: 30_000, locking: 'node_local' }]);
    await clock.advanceTo(AT - 1);
    expect(plugin.runs).toHaveLength(0);
    await clock.advance(31_000);
    expect(plugin.runs.map((r) => r.scheduledAt)).toEqual([AT]);
    await scheduler.stop({ graceMs: 0 });
  });

  it('run once across a 3-scheduler cluster on MemoryLocking', async () => {
    const cluster = new Cluster([{ id: 'once', at: atText }]);
    await cluster.addNode('ahead', 2_000);
    await cluster.addNode('exact', 0);
    await cluster.addNode('behind', -2_000);
    await cluster.advance(2 * HOUR, 5_000);
    expect(cluster.runs.map((r) => ({ id: r.scheduleId, at: r.scheduledAt }))).toEqual([{ id: 'once', at: AT }]);
    for (const node of cluster.nodes) await node.scheduler.stop({ graceMs: 0 });
  });

  it('catch up a passed one-shot once across a 3-scheduler cluster starting after it, and not again after restarts', async () => {
    const cluster = new Cluster([{ id: 'once', at: new Date(T0 - HOUR).toISOString() }]);
    await cluster.addNode('ahead', 2_000);
    await cluster.addNode('exact', 0);
    await cluster.addNode('behind', -2_000);
    await cluster.advance(60_000, 1_000);
    expect(cluster.runs.map((r) => ({ at: r.scheduledAt, catchup: r.isCatchup }))).toEqual([{ at: T0 - HOUR, catchup: true }]);
    // A node that joins later without state finds the occurrence taken.
    await cluster.addNode('late', 0);
    await cluster.advance(60_000, 1_000);
    expect(cluster.runs).toHaveLength(1);
    for (const node of cluster.nodes) await node.scheduler.stop({ graceMs: 0 });
  });

  it('skip as missed a one-shot more than a day past when the scheduler starts', async () => {
    const cluster = new Cluster([{ id: 'once', at: new Date(T0 - 25 * HOUR).toISOString() }]);
    const node = await cluster.addNode('a', 0, undefined, { start: false });
    const events = collectEvents(node.scheduler);
    await node.scheduler.start();
    await cluster.advance(60_000, 1_000);
    expect(cluster.runs).toHaveLength(0);
    expect(events.map((e) => e.name === 'run:skip' && 'reason' in e.event && e.event.reason)).toEqual(['missed']);
    await node.scheduler.stop({ graceMs: 0 });
  });

  it('refuse a schedule with both cron and at, or neither, naming the schedule and the fix', async () => {
    for (const schedule of [{ id: 'x', cron: '5m', at: atText }, { id: 'x' }] as Schedule[]) {
      const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
      await expect(scheduler.register(recordingPlugin('p', [schedule]))).rejects.toThrow(/schedule "x" of plugin "p" must give exactly one of cron .* or at/);
    }
  });

  it('refuse an at without offset, naming the schedule', async () => {
    const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
    await expect(scheduler.register(recordingPlugin('p', [{ id: 'x', at: '2026-12-01T09:00:00' }]))).rejects.toThrow(
      /no offset.*in schedule "x" of plugin "p"/,
    );
  });
});
