import { describe, expect, it } from 'vitest';
import { LockBackendError, LockLostError, RunTimeoutError, SchedulerStoppedError, type LockHandle, type ScheduledPlugin, type ScheduledRunCtx } from '@belfry/plugin-api';
import { MemoryLocking } from '@belfry/locking-memory';
import { ManualClock, Scheduler } from '../src/index.js';
import { FlakyLocking } from './flaky-locking.js';
import { collectEvents, RecordingLogger, recordingPlugin, T0 } from './support.js';

/** A run that waits for its signal and keeps the abort reason. */
function abortWatcher(): { work: (ctx: ScheduledRunCtx) => Promise<void>; reasons: unknown[] } {
  const reasons: unknown[] = [];
  const work = (ctx: ScheduledRunCtx): Promise<void> =>
    new Promise<void>((resolve) => {
      ctx.signal.addEventListener('abort', () => {
        reasons.push(ctx.signal.reason);
        resolve();
      });
    });
  return { work, reasons };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('why a run was aborted', () => {
  it('aborts with RunTimeoutError (run_timeout, timeoutMs) when a run passes its timeout', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger() });
    const events = collectEvents(scheduler);
    const { work, reasons } = abortWatcher();
    await scheduler.register(recordingPlugin('p', [{ id: 't', cron: '1m', timeoutMs: 2_500, locking: 'node_local' }], work));
    await scheduler.start();
    await clock.advance(60_000 + 2_500);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(RunTimeoutError);
    expect(reasons[0]).toMatchObject({ code: 'run_timeout', timeoutMs: 2_500, message: 'Run of p/t timed out after 2500 ms' });
    expect(events.find((e) => e.name === 'run:error')?.event).toMatchObject({ error: { name: 'RunTimeoutError', code: 'run_timeout' } });
    await scheduler.stop();
  });

  it('aborts with SchedulerStoppedError (scheduler_stopped) when the grace period of stop() is over', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger(), nodeId: 'node-a' });
    const events = collectEvents(scheduler);
    const { work, reasons } = abortWatcher();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], work));
    await scheduler.start();
    await clock.advance(60_000);
    const stopping = scheduler.stop({ graceMs: 1_000 });
    await clock.advance(1_000);
    await stopping;
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(SchedulerStoppedError);
    expect(reasons[0]).toMatchObject({ code: 'scheduler_stopped', message: 'Scheduler on node node-a stopped; the 1000 ms grace period is over' });
    expect(events.find((e) => e.name === 'run:error')?.event).toMatchObject({ error: { name: 'SchedulerStoppedError', code: 'scheduler_stopped' } });
  });

  it('aborts with SchedulerStoppedError at once with a zero grace period', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger() });
    const { work, reasons } = abortWatcher();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], work));
    await scheduler.start();
    await clock.advance(60_000);
    await scheduler.stop({ graceMs: 0 });
    expect(reasons).toEqual([expect.objectContaining({ code: 'scheduler_stopped' })]);
  });

  it('aborts with LockLostError (lock_lost, key) when renewal finds the lock gone', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger(), lockTtlMs: 9_000 });
    const { work, reasons } = abortWatcher();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m' }], work));
    await scheduler.start();
    await clock.advance(60_000);
    locking.failRenew = true;
    await clock.advance(3_000);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(LockLostError);
    expect(reasons[0]).toMatchObject({ code: 'lock_lost', key: `belfry:run:p:s:${T0 + 60_000}` });
    await scheduler.stop();
  });

  it('aborts with LockLostError too when renewal fails because the backend is unreachable', async () => {
    const clock = new ManualClock(T0);
    const inner = new MemoryLocking({ clock });
    const locking = {
      name: 'unreachable-on-renew',
      tryLock: (key: string, ttlMs: number) => inner.tryLock(key, ttlMs),
      renew: (_handle: LockHandle) => Promise.reject(new LockBackendError('connection refused')),
      release: (handle: LockHandle) => inner.release(handle),
    };
    const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger(), lockTtlMs: 9_000 });
    const { work, reasons } = abortWatcher();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m' }], work));
    await scheduler.start();
    await clock.advance(60_000 + 3_000);
    expect(reasons).toEqual([expect.objectContaining({ name: 'LockLostError', code: 'lock_lost' })]);
    await scheduler.stop();
  });
});

describe('calls that need a running scheduler', () => {
  it('reject or throw SchedulerStoppedError once stop() was called', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger() });
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], () => new Promise<void>(() => undefined)));
    await scheduler.start();
    await clock.advance(60_000);
    const stopping = scheduler.stop({ graceMs: 1_000 });
    const whileStopping = await rejection(scheduler.trigger('p', 's'));
    await clock.advance(1_000);
    await stopping;
    const errors = [
      whileStopping,
      await rejection(scheduler.trigger('p', 's')),
      await rejection(scheduler.register(recordingPlugin('q', []))),
      await rejection(scheduler.start()),
      (() => {
        try {
          scheduler.restoreSnapshot(scheduler.snapshot());
        } catch (error) {
          return error;
        }
        return undefined;
      })(),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(SchedulerStoppedError);
      expect(error).toMatchObject({ code: 'scheduler_stopped', message: expect.stringMatching(/^Cannot .+: the scheduler is (stopping|stopped)$/) });
    }
    expect((whileStopping as Error).message).toBe('Cannot trigger "p"/"s": the scheduler is stopping');
  });

  it('rejects a registration whose schedules() was still pending when stop() was called', async () => {
    const scheduler = new Scheduler({ clock: new ManualClock(T0), logger: new RecordingLogger() });
    let answer: (schedules: []) => void = () => undefined;
    const slow: ScheduledPlugin = { name: 'slow', schedules: () => new Promise((resolve) => (answer = resolve)), run: () => undefined };
    const registering = rejection(scheduler.register(slow));
    await scheduler.stop();
    answer([]);
    expect(await registering).toMatchObject({ code: 'scheduler_stopped', message: 'Cannot register plugin "slow": the scheduler is stopped' });
  });
});
