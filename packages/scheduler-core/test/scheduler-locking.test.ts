import { describe, expect, it } from 'vitest';
import { MemoryLocking } from '@belfry/locking-memory';
import type { LockHandle, LockingHint, LockingPlugin } from '@belfry/plugin-api';
import { ManualClock, Scheduler } from '../src/index.js';
import { FlakyLocking } from './flaky-locking.js';
import { collectEvents, deferred, RecordingLogger, recordingPlugin, T0 } from './support.js';

function setup({ backend = true }: { backend?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const logger = new RecordingLogger();
  const locking = new FlakyLocking(clock);
  const scheduler = new Scheduler({ clock, logger, nodeId: 'node-a', ...(backend ? { locking } : {}) });
  const events = collectEvents(scheduler);
  return { clock, logger, locking, scheduler, events };
}

const KEY_1M = `belfry:run:p:s:${T0 + 60_000}`;

describe('Scheduler locking hints', () => {
  it('takes the occurrence’s lock before a require_global run and hands its fence to the run', async () => {
    const { clock, locking, scheduler, events } = setup();
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000);
    expect(locking.calls[0]).toMatchObject({ op: 'tryLock', key: KEY_1M });
    expect(plugin.runs).toHaveLength(1);
    expect(typeof plugin.runs[0]?.fence).toBe('number');
    expect(events.find((e) => e.name === 'run:start')?.event).toMatchObject({ fence: plugin.runs[0]?.fence });
    expect(scheduler.status()).toMatchObject({ locking: 'flaky-memory', schedules: [{ locking: 'require_global', locked: true }] });
    await scheduler.stop();
  });

  it('skips as lock_contended when another holder has the occurrence', async () => {
    const { clock, locking, scheduler, events } = setup();
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await locking.inner.tryLock(KEY_1M, 120_000);
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(0);
    expect(events.map((e) => e.name)).toEqual(['run:skip']);
    expect(events[0]?.event).toMatchObject({ reason: 'lock_contended', scheduledAt: T0 + 60_000 });
    await clock.advance(60_000);
    expect(plugin.runs.map((r) => r.scheduledAt)).toEqual([T0 + 120_000]);
    await scheduler.stop();
  });

  it('says how long the lock took to answer: on run:start for a run, on run:skip when another holder has it', async () => {
    const { clock, locking, scheduler, events } = setup();
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    let answer = deferred();
    locking.holdAnswers = answer.promise;
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(0);
    await clock.advance(40);
    answer.resolve();
    await clock.advance(0);
    expect(plugin.runs).toHaveLength(1);
    expect(events.find((e) => e.name === 'run:start')?.event).toMatchObject({ lockWaitMs: 40 });

    await locking.inner.tryLock(`belfry:run:p:s:${T0 + 120_000}`, 120_000);
    answer = deferred();
    locking.holdAnswers = answer.promise;
    await clock.advance(60_000 - 40);
    await clock.advance(25);
    answer.resolve();
    await clock.advance(0);
    expect(events.find((e) => e.name === 'run:skip')?.event).toMatchObject({ reason: 'lock_contended', lockWaitMs: 25 });
    await scheduler.stop();
  });

  it('logs and skips as lock_error when the backend fails, and keeps firing', async () => {
    const { clock, locking, logger, scheduler, events } = setup();
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    locking.failTryLock = true;
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(0);
    expect(events[0]?.event).toMatchObject({ reason: 'lock_error', error: { code: 'lock_backend' } });
    expect(logger.at('warn')).toContain('Lock backend failed; the firing is skipped');
    locking.failTryLock = false;
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(1);
    await scheduler.stop();
  });

  it.each<[LockingHint, boolean, boolean]>([
    ['require_global', true, true],
    ['prefer_global', true, true],
    ['node_local', true, false],
    ['prefer_global', false, false],
    ['require_global', false, false],
  ])('%s with a backend configured: %s → locks: %s', async (hint, withBackend, locks) => {
    const { clock, locking, scheduler } = setup({ backend: withBackend });
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m', locking: hint }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(1);
    expect(locking.calls.some((c) => c.op === 'tryLock')).toBe(locks);
    expect(plugin.runs[0]?.fence === undefined).toBe(!locks);
    await scheduler.stop();
  });

  it('starts firings due in the same instant in priority order even when only some of them take a lock', async () => {
    const { clock, scheduler } = setup();
    const order: string[] = [];
    const make = (name: string, priority: number, locking: LockingHint) =>
      recordingPlugin(name, [{ id: 's', cron: '1m', locking }], () => void order.push(name), priority);
    await scheduler.register(make('local-late', 5000, 'node_local'));
    await scheduler.register(make('global-urgent', 1, 'require_global'));
    await scheduler.register(make('local-mid', 500, 'node_local'));
    await scheduler.register(make('global-high', 10, 'require_global'));
    await scheduler.start();
    await clock.advance(60_000);
    expect(order).toEqual(['global-urgent', 'global-high', 'local-mid', 'local-late']);
    await scheduler.stop();
  });

  it('warns once at start when require_global schedules have no backend', async () => {
    const { scheduler, logger } = setup({ backend: false });
    await scheduler.register(recordingPlugin('p', [{ id: 'a', cron: '1m' }, { id: 'b', cron: '5m', locking: 'prefer_global' }]));
    await scheduler.register(recordingPlugin('q', [{ id: 'c', cron: '1m', locking: 'require_global' }]));
    await scheduler.start();
    await scheduler.register(recordingPlugin('r', [{ id: 'd', cron: '1m' }]));
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'Schedules require a global lock but no lock backend is configured; they run on every node that runs them',
        fields: { schedules: ['p/a', 'q/c'] },
      },
    ]);
    await scheduler.stop();
  });

  it('does not warn when only node_local and prefer_global schedules lack a backend', async () => {
    const { scheduler, logger } = setup({ backend: false });
    await scheduler.register(recordingPlugin('p', [{ id: 'a', cron: '1m', locking: 'node_local' }, { id: 'b', cron: '5m', locking: 'prefer_global' }]));
    await scheduler.start();
    expect(logger.at('warn')).toEqual([]);
    await scheduler.stop();
  });
});

describe('Scheduler lock lifetime', () => {
  it('renews the lock at a third of its TTL while the run lasts', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger(), lockTtlMs: 9_000 });
    const hold = deferred();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m' }], () => hold.promise));
    await scheduler.start();
    await clock.advance(60_000 + 10_000);
    const renewals = locking.calls.filter((c) => c.op === 'renew').map((c) => c.at - T0 - 60_000);
    expect(renewals).toEqual([3_000, 6_000, 9_000]);
    hold.resolve();
    await clock.advance(10_000);
    expect(locking.calls.filter((c) => c.op === 'renew')).toHaveLength(3);
    await scheduler.stop();
  });

  it('aborts ctx.signal with lock_lost when renewal fails and records the run as failed', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger(), lockTtlMs: 9_000 });
    const events = collectEvents(scheduler);
    let reason: unknown;
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m' }], (ctx) =>
      new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          reason = ctx.signal.reason;
          resolve();
        });
      }),
    ));
    await scheduler.start();
    await clock.advance(60_000 + 3_000);
    expect(reason).toBeUndefined();
    locking.failRenew = true;
    await clock.advance(3_000);
    expect(reason).toMatchObject({ code: 'lock_lost' });
    expect(events.find((e) => e.name === 'run:error')?.event).toMatchObject({ error: { code: 'lock_lost' } });
    await scheduler.stop();
  });

  it('keeps the occurrence locked after a quick run so a late node cannot take it again', async () => {
    const { clock, locking, scheduler } = setup();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', missedRunPolicy: 'skip' }]));
    await scheduler.start();
    await clock.advance(60_000);
    expect(locking.calls.filter((c) => c.op === 'release')).toEqual([]);
    // Still held well past the firing: grace (60 s) + the next occurrence + spread + 2 × skew + TTL.
    await clock.advance(60_000 + 60_000);
    expect(await locking.inner.tryLock(KEY_1M, 1_000)).toBeNull();
    await clock.advance(60_000);
    expect(await locking.inner.tryLock(KEY_1M, 1_000)).not.toBeNull();
    await scheduler.stop();
  });

  it('releases the lock of a triggered run when it ends', async () => {
    const { clock, locking, scheduler } = setup();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '@daily' }]));
    await scheduler.start();
    await clock.advance(5_000);
    await expect(scheduler.trigger('p', 's')).resolves.toBe('success');
    expect(locking.calls.map((c) => c.op)).toEqual(['tryLock', 'release']);
    expect(locking.calls[0]?.key).toBe(`belfry:run:p:s:${T0 + 5_000}:manual`);
    expect(await locking.inner.tryLock(`belfry:run:p:s:${T0 + 5_000}:manual`, 1_000)).not.toBeNull();
    await scheduler.stop();
  });

  it('releases the locks of runs aborted at shutdown', async () => {
    const { clock, locking, scheduler } = setup();
    let signal: AbortSignal | undefined;
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m' }], (ctx) => {
      signal = ctx.signal;
      return new Promise<void>(() => undefined);
    }));
    await scheduler.start();
    await clock.advance(60_000);
    const stopping = scheduler.stop({ graceMs: 1_000 });
    await clock.advance(1_000);
    await stopping;
    expect(signal?.aborted).toBe(true);
    expect(locking.calls.at(-1)).toMatchObject({ op: 'release', key: KEY_1M });
    expect(await locking.inner.tryLock(KEY_1M, 1_000)).not.toBeNull();
  });

  it('leaves no renewal timer behind when a renewal answers after stop() aborted the run', async () => {
    const clock = new ManualClock(T0);
    const inner = new FlakyLocking(clock);
    const answer = deferred();
    const slowAnswers: LockingPlugin = {
      name: 'slow-answers',
      tryLock: (key, ttlMs) => inner.tryLock(key, ttlMs),
      // The backend renews at once; its reply arrives only when `answer` resolves.
      renew: async (handle: LockHandle) => {
        const renewed = inner.renew(handle);
        await answer.promise;
        return renewed;
      },
      release: (handle: LockHandle) => inner.release(handle),
    };
    const scheduler = new Scheduler({ clock, locking: slowAnswers, logger: new RecordingLogger(), lockTtlMs: 3_000 });
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m' }], () => new Promise<void>(() => undefined)));
    await scheduler.start();
    await clock.advance(60_000 + 1_000); // the first renewal is on its way
    expect(inner.calls.filter((c) => c.op === 'renew')).toHaveLength(1);
    const stopping = scheduler.stop({ graceMs: 0 });
    await clock.advance(0);
    await stopping;
    answer.resolve();
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('works with a MemoryLocking that runs on its own clock', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, locking: new MemoryLocking({ clock }), logger: new RecordingLogger() });
    const plugin = recordingPlugin('p', [{ id: 's', cron: '10s' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(6);
    const fences = plugin.runs.map((r) => r.fence as number);
    expect([...fences].sort((a, b) => a - b)).toEqual(fences);
    await scheduler.stop();
  });

  it('gives up a lock won after stop() began, without running', async () => {
    const clock = new ManualClock(T0);
    const inner = new FlakyLocking(clock);
    const gate = deferred();
    const slow: LockingPlugin = {
      name: 'slow',
      tryLock: async (key, ttlMs) => {
        await gate.promise;
        return inner.tryLock(key, ttlMs);
      },
      renew: (handle: LockHandle) => inner.renew(handle),
      release: (handle: LockHandle) => inner.release(handle),
    };
    const scheduler = new Scheduler({ clock, locking: slow, logger: new RecordingLogger() });
    const events = collectEvents(scheduler);
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000);
    const stopping = scheduler.stop({ graceMs: 1_000 });
    gate.resolve();
    await clock.advance(1_000);
    await stopping;
    expect(plugin.runs).toEqual([]);
    expect(events.map((e) => e.event)).toEqual([expect.objectContaining({ reason: 'stopped' })]);
    expect(await inner.inner.tryLock(KEY_1M, 1_000)).not.toBeNull();
  });
});
