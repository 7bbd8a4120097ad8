import { describe, expect, it } from 'vitest';
import type { Schedule } from '@belfry/plugin-api';
import { MemoryLocking } from '@belfry/locking-memory';
import { ManualClock, Scheduler, type SchedulerOptions } from '../src/index.js';
import { Cluster } from './cluster.js';
import { collectEvents, iso, RecordingLogger, recordingPlugin, T0 } from './support.js';

const HOUR = 3_600_000;

/** Runs a scheduler from `T0` until `stopAt`, and returns its snapshot bytes. */
async function runUntil(schedules: Schedule[], stopAt: number, options: SchedulerOptions = {}, pluginName = 'p'): Promise<Uint8Array> {
  const clock = new ManualClock(T0);
  const scheduler = new Scheduler({ clock, logger: new RecordingLogger(), ...options });
  await scheduler.register(recordingPlugin(pluginName, schedules));
  await scheduler.start();
  await clock.advanceTo(stopAt);
  await scheduler.stop({ graceMs: 0 });
  return (await scheduler.snapshot()).bytes;
}

/** A scheduler restarted at `at` from `bytes`, advanced by `runForMs`. */
async function restartAt(
  bytes: Uint8Array | undefined,
  schedules: Schedule[],
  at: number,
  runForMs: number,
  options: SchedulerOptions = {},
) {
  const clock = new ManualClock(at);
  const scheduler = new Scheduler({ clock, logger: new RecordingLogger(), ...options });
  const events = collectEvents(scheduler);
  if (bytes !== undefined) scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes });
  const plugin = recordingPlugin('p', schedules);
  await scheduler.register(plugin);
  await scheduler.start();
  await clock.advance(runForMs);
  return { clock, scheduler, events, plugin };
}

describe('scheduler state', () => {
  it('snapshots per-schedule progress as versioned bytes that restore', async () => {
    const bytes = await runUntil([{ id: 'h', cron: '@hourly', locking: 'node_local' }], T0 + 90 * 60_000);
    const document = JSON.parse(new TextDecoder().decode(bytes));
    expect(document).toEqual({
      schedules: [
        { plugin: 'p', scheduleId: 'h', expression: '@hourly', timezone: 'UTC', handledThrough: T0 + HOUR, lastScheduledAt: T0 + HOUR },
      ],
    });
    const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
    expect(scheduler.id).toBe('belfry.scheduler');
    scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes });
    expect(new TextDecoder().decode((await scheduler.snapshot()).bytes)).toBe(new TextDecoder().decode(bytes));
  });

  it('refuses a snapshot version it cannot read with UnsupportedVersionError', () => {
    const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
    expect(() => scheduler.restoreSnapshot({ id: scheduler.id, version: 7, bytes: new Uint8Array() })).toThrow(
      expect.objectContaining({ code: 'unsupported_version', version: 7, expected: [1] }),
    );
  });

  it('refuses corrupt bytes with RestoreFailedError', () => {
    const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
    const bad = [new Uint8Array([0xff, 0xfe]), new TextEncoder().encode('{"schedules":[{"plugin":1}]}'), new TextEncoder().encode('null')];
    for (const bytes of bad) {
      expect(() => scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes })).toThrow(expect.objectContaining({ code: 'restore_failed' }));
    }
  });

  it('must be restored before start', async () => {
    const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
    await scheduler.start();
    expect(() => scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes: new Uint8Array() })).toThrow(/before start\(\)/);
    await scheduler.stop();
  });
});

describe('missed runs at start', () => {
  const restartTime = T0 + 3 * HOUR + 5 * 60_000;

  it('run_once makes one catch-up run for the latest missed occurrence', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, scheduler } = await restartAt(bytes, schedules, restartTime, 60_000);
    expect(plugin.runs.map((r) => [iso(r.scheduledAt), r.isCatchup, r.runCount])).toEqual([['2026-05-01T03:00:00.000Z', true, 1]]);
    await scheduler.stop();
  });

  it('skip makes no catch-up and reports the missed occurrences', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local', missedRunPolicy: 'skip' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, events, scheduler } = await restartAt(bytes, schedules, restartTime, 60_000);
    expect(plugin.runs).toEqual([]);
    expect(events.map((e) => e.event)).toEqual([
      expect.objectContaining({ reason: 'missed', missedCount: 3, scheduledAt: T0 + 3 * HOUR, isCatchup: true }),
    ]);
    expect(scheduler.status().schedules[0]?.lastSkipReason).toBe('missed');
    await scheduler.stop();
  });

  it('run_all runs every missed occurrence, oldest first, one after another', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, scheduler } = await restartAt(bytes, schedules, restartTime, 60_000);
    expect(plugin.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([
      ['2026-05-01T01:00:00.000Z', true],
      ['2026-05-01T02:00:00.000Z', true],
      ['2026-05-01T03:00:00.000Z', true],
    ]);
    await scheduler.stop();
  });

  it('run_all runs an occurrence that comes due while catch-ups run after them, not skipped as an overlap', async () => {
    const schedules: Schedule[] = [{ id: 's', cron: '10s', locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 5_000);
    // Restarted on an occurrence with five owed; each run takes 4 s, so on-time occurrences come due while catch-ups run.
    const clock = new ManualClock(T0 + 60_000);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger() });
    const events = collectEvents(scheduler);
    scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes });
    const plugin = recordingPlugin('p', schedules, () => new Promise<void>((resolve) => void clock.setTimer(resolve, 4_000)));
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000);
    const ran = plugin.runs.map((r) => r.scheduledAt - T0);
    // Every occurrence from 10 s on runs once, none is skipped, catch-ups first.
    expect(ran).toEqual(Array.from({ length: ran.length }, (_, index) => (index + 1) * 10_000));
    // By +120 s the backlog is worked off: 4 s runs every 10 s keep up from there.
    expect(ran.length).toBeGreaterThanOrEqual(12);
    expect(events.filter((e) => e.name === 'run:skip')).toEqual([]);
    await scheduler.stop({ graceMs: 0 });
  });

  it('run_all keeps missed occurrences in order when each one has its own jitter', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', jitterMs: 60_000, locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, scheduler } = await restartAt(bytes, schedules, T0 + 8 * HOUR + 5 * 60_000, 5 * 60_000);
    expect(plugin.runs.map((r) => (r.scheduledAt - T0) / HOUR)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await scheduler.stop();
  });

  it.each<[Schedule['missedRunPolicy'], number[]]>([
    ['run_once', [6]],
    ['skip', []],
    ['run_all', [1, 2, 3, 4, 5, 6]],
  ])('after 6 missed occurrences, %s makes the catch-ups %j', async (missedRunPolicy, expected) => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local', missedRunPolicy }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, scheduler } = await restartAt(bytes, schedules, T0 + 6 * HOUR + 5 * 60_000, 60_000);
    expect(plugin.runs.map((r) => [(r.scheduledAt - T0) / HOUR, r.isCatchup])).toEqual(expected.map((h) => [h, true]));
    await scheduler.stop();
  });

  it('run_all caps catch-ups and reports the rest as dropped', async () => {
    const schedules: Schedule[] = [{ id: 'm', cron: '1m', locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 30_000);
    const { plugin, events, scheduler } = await restartAt(bytes, schedules, T0 + 20 * 60_000 + 90_000, 20_000, { maxCatchupRuns: 5 });
    // 16–20 are the newest five missed; 21 is only 30 s late, so it is an ordinary run that goes last.
    expect(plugin.runs.map((r) => [(r.scheduledAt - T0) / 60_000, r.isCatchup])).toEqual([
      [16, true],
      [17, true],
      [18, true],
      [19, true],
      [20, true],
      [21, false],
    ]);
    const dropped = events.filter((e) => e.name === 'run:dropped').map((e) => e.event);
    expect(dropped).toEqual([
      expect.objectContaining({ count: 15, countIsLowerBound: false, oldestScheduledAt: T0 + 60_000, scheduledAt: T0 + 15 * 60_000 }),
    ]);
    expect(scheduler.status().schedules[0]?.droppedCount).toBe(15);
    await scheduler.stop();
  });

  it('defaults the run_all cap to 100', async () => {
    const schedules: Schedule[] = [{ id: 's', cron: '1s', locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 500);
    const { plugin, events, scheduler } = await restartAt(bytes, schedules, T0 + 10 * 60_000, 15_000);
    expect(plugin.runs.filter((r) => r.isCatchup)).toHaveLength(100);
    // 1 s … 600 s are due; 600 s is on time, the newest 100 of the 599 others are caught up.
    expect(events.find((e) => e.name === 'run:dropped')?.event).toMatchObject({ count: 499 });
    await scheduler.stop();
  });

  it('plans a week-long outage of a per-second schedule without stepping through every occurrence', async () => {
    const schedules: Schedule[] = [{ id: 's', cron: '* * * * * *', locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 500);
    const { plugin, events, scheduler } = await restartAt(bytes, schedules, T0 + 7 * 24 * HOUR + 500, 11_000);
    expect(plugin.runs.filter((r) => r.isCatchup)).toHaveLength(100);
    expect(events.find((e) => e.name === 'run:dropped')?.event).toMatchObject({ count: 10_000, countIsLowerBound: true, oldestScheduledAt: T0 + 1_000 });
    await scheduler.stop();
  });

  it('treats an occurrence less than the grace window late as an ordinary late run', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, scheduler } = await restartAt(bytes, schedules, T0 + 3 * HOUR + 59_000, 1_000);
    expect(plugin.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([['2026-05-01T03:00:00.000Z', false]]);
    await scheduler.stop();
  });

  it('honours a custom grace window', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local', missedRunPolicy: 'skip' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const { plugin, scheduler } = await restartAt(bytes, schedules, T0 + 3 * HOUR + 4 * 60_000, 1_000, { missedRunGraceMs: 5 * 60_000 });
    expect(plugin.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([['2026-05-01T03:00:00.000Z', false]]);
    await scheduler.stop();
  });

  it('owes nothing for a schedule seen for the first time, or whose expression changed', async () => {
    const fresh = await restartAt(undefined, [{ id: 'h', cron: '@hourly', locking: 'node_local' }], restartTime, 60_000);
    expect(fresh.plugin.runs).toEqual([]);
    await fresh.scheduler.stop();
    const bytes = await runUntil([{ id: 'h', cron: '@hourly', locking: 'node_local' }], T0 + 10 * 60_000);
    const changed = await restartAt(bytes, [{ id: 'h', cron: '30 * * * *', locking: 'node_local' }], restartTime, 60_000);
    expect(changed.plugin.runs).toEqual([]);
    await changed.scheduler.stop();
  });

  it('spreads catch-ups over the spread window, lower priority values first', async () => {
    const names = ['low', 'high', 'mid'];
    const priorities: Record<string, number> = { low: 3000, high: 1, mid: 500 };
    const clock = new ManualClock(T0);
    const first = new Scheduler({ clock, logger: new RecordingLogger() });
    for (const name of names) await first.register({ name, priority: priorities[name], schedules: () => [{ id: 'h', cron: '@hourly', locking: 'node_local' }], run: () => undefined });
    await first.start();
    await first.stop();
    const bytes = (await first.snapshot()).bytes;

    const later = new ManualClock(restartTime);
    const second = new Scheduler({ clock: later, logger: new RecordingLogger(), catchupSpreadMs: 9_000 });
    second.restoreSnapshot({ id: second.id, version: 1, bytes });
    const started: [string, number][] = [];
    for (const name of names) {
      await second.register({ name, priority: priorities[name], schedules: () => [{ id: 'h', cron: '@hourly', locking: 'node_local' }], run: () => {
        started.push([name, later.now() - restartTime]);
      } });
    }
    await second.start();
    await later.advance(10_000);
    expect(started).toEqual([
      ['high', 0],
      ['mid', 3_000],
      ['low', 6_000],
    ]);
    await second.stop();
  });
});

describe('firings planned but not started', () => {
  it('catches up after a restart a firing that was still waiting for its jitter when the state was saved', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', jitterMs: 10 * 60_000, locking: 'node_local' }];
    const clock = new ManualClock(T0);
    const first = new Scheduler({ clock, logger: new RecordingLogger() });
    const early = recordingPlugin('p', schedules);
    await first.register(early);
    await first.start();
    await clock.advanceTo(T0 + HOUR + 1);
    expect(early.runs).toEqual([]); // 01:00 is due and waits for its jitter
    const bytes = first.snapshot().bytes; // the process dies here
    const { plugin, scheduler } = await restartAt(bytes, schedules, T0 + HOUR + 20 * 60_000, 11 * 60_000);
    expect(plugin.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([['2026-05-01T01:00:00.000Z', true]]);
    await scheduler.stop();
    await first.stop();
  });

  it('runs after a restart the catch-ups that had not started when the scheduler stopped, and not the ones that ran', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', locking: 'node_local', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const first = await restartAt(bytes, schedules, T0 + 3 * HOUR + 5 * 60_000, 1_000, { catchupSpreadMs: 9_000 });
    expect(first.plugin.runs.map((r) => iso(r.scheduledAt))).toEqual(['2026-05-01T01:00:00.000Z']);
    await first.scheduler.stop();
    const second = await restartAt(first.scheduler.snapshot().bytes, schedules, T0 + 3 * HOUR + 10 * 60_000, 60_000);
    expect(second.plugin.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([
      ['2026-05-01T02:00:00.000Z', true],
      ['2026-05-01T03:00:00.000Z', true],
    ]);
    await second.scheduler.stop();
  });
});

describe('late catch-ups', () => {
  it('skips a locked catch-up whose turn comes after the window in which its lock marker is safe', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000);
    const clock = new ManualClock(T0 + 3 * HOUR + 5 * 60_000);
    const scheduler = new Scheduler({ clock, locking: new MemoryLocking({ clock }), logger: new RecordingLogger() });
    const events = collectEvents(scheduler);
    scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes });
    const plugin = recordingPlugin('p', schedules, (ctx) =>
      ctx.isCatchup ? undefined : new Promise<void>((resolve) => clock.setTimer(resolve, 2 * HOUR)),
    );
    await scheduler.register(plugin);
    const manual = scheduler.trigger('p', 'h'); // holds the schedule for two hours
    await scheduler.start(); // the catch-up for 03:00 waits behind it
    await clock.advance(2 * HOUR);
    await manual;
    expect(plugin.runs.filter((r) => r.isCatchup)).toEqual([]);
    expect(events.filter((e) => e.name === 'run:skip').map((e) => e.event)).toContainEqual(
      expect.objectContaining({ reason: 'missed', scheduledAt: T0 + 3 * HOUR, isCatchup: true }),
    );
    // 04:00 came due behind the waiting catch-up, so it waited too: by its turn it is past its safe window as well (missed, not an overlap); 05:00 runs.
    expect(events.filter((e) => e.name === 'run:skip').map((e) => e.event)).toContainEqual(expect.objectContaining({ reason: 'missed', scheduledAt: T0 + 4 * HOUR, isCatchup: false }));
    expect(plugin.runs.filter((r) => !r.isCatchup).map((r) => r.scheduledAt)).toContain(T0 + 5 * HOUR);
    await scheduler.stop({ graceMs: 0 });
  });
});

describe('missed runs after a suspension', () => {
  it('notices a forward jump of the clock within 30 s and catches up by policy', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger() });
    const once = recordingPlugin('once', [{ id: 'h', cron: '@hourly', locking: 'node_local' }]);
    const all = recordingPlugin('all', [{ id: 'h', cron: '@hourly', locking: 'node_local', missedRunPolicy: 'run_all' }]);
    await scheduler.register(once);
    await scheduler.register(all);
    await scheduler.start();
    await clock.advance(10 * 60_000);
    clock.jumpTo(T0 + 4 * HOUR + 10 * 60_000); // the laptop slept for four hours
    await clock.advance(30_000 + 10_000);
    expect(once.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([['2026-05-01T04:00:00.000Z', true]]);
    expect(all.runs.map((r) => iso(r.scheduledAt))).toEqual([1, 2, 3, 4].map((h) => iso(T0 + h * HOUR)));
    await clock.advance(HOUR);
    expect(once.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([
      ['2026-05-01T04:00:00.000Z', true],
      ['2026-05-01T05:00:00.000Z', false],
    ]);
    await scheduler.stop();
  });
});

describe('catch-up across a cluster', () => {
  it('makes one catch-up run when several nodes restart together', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000, {}, 'job');
    const cluster = new Cluster(schedules);
    await cluster.truth.advanceTo(T0 + 3 * HOUR + 5 * 60_000);
    await cluster.addNode('a', 4_000, bytes);
    await cluster.addNode('b', -4_000, bytes);
    await cluster.addNode('c', 0, bytes);
    await cluster.advance(30_000);
    expect(cluster.runs.map((r) => [iso(r.scheduledAt), r.isCatchup])).toEqual([['2026-05-01T03:00:00.000Z', true]]);
  });

  it('does not run a catch-up again on a node that restarts later from the same old state', async () => {
    const schedules: Schedule[] = [{ id: 'h', cron: '@hourly', missedRunPolicy: 'run_all' }];
    const bytes = await runUntil(schedules, T0 + 10 * 60_000, {}, 'job');
    const cluster = new Cluster(schedules);
    await cluster.truth.advanceTo(T0 + 3 * HOUR + 5 * 60_000);
    await cluster.addNode('first', 0, bytes);
    await cluster.advance(60_000);
    expect(cluster.runs.map((r) => iso(r.scheduledAt))).toEqual([1, 2, 3].map((h) => iso(T0 + h * HOUR)));
    const later = await cluster.addNode('later', -5_000, bytes, { start: false });
    const skips: string[] = [];
    later.scheduler.on('run:skip', (event) => skips.push(`${iso(event.scheduledAt)} ${event.reason}`));
    await later.scheduler.start();
    await cluster.advance(20 * 60_000);
    expect(cluster.runs).toHaveLength(3);
    expect(skips).toEqual([1, 2, 3].map((h) => `${iso(T0 + h * HOUR)} already_ran`));
  });

  it('does not catch up on a restarted node what a live node already ran', async () => {
    const schedules: Schedule[] = [{ id: 'ten', cron: '10m' }];
    const cluster = new Cluster(schedules);
    const a = await cluster.addNode('a', 2_000);
    await cluster.addNode('b', -2_000);
    await cluster.advance(5 * 60_000);
    const bytes = await cluster.removeNode(a);
    await cluster.advance(60 * 60_000);
    await cluster.addNode('a-again', 2_000, bytes);
    await cluster.advance(30 * 60_000);
    const counts = cluster.countsByOccurrence();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(cluster.runs.filter((r) => r.isCatchup)).toEqual([]);
    expect(counts.size).toBe(10);
  });
});
