import { describe, expect, it } from 'vitest';
import type { LockHandle, LockingHint, LockingPlugin } from '@belfry/plugin-api';
import { ManualClock, Scheduler } from '../src/index.js';
import { RecordingLogger, recordingPlugin, T0 } from './support.js';

/** A backend whose tryLock answers only when the test says so, in the order the test chooses. */
class HeldAnswersLocking implements LockingPlugin {
  readonly name = 'held-answers';
  readonly requested: string[] = [];
  private readonly answers = new Map<string, (handle: LockHandle | null) => void>();

  tryLock(key: string, ttlMs: number): Promise<LockHandle | null> {
    this.requested.push(key);
    return new Promise((resolve) => this.answers.set(key, resolve));
  }

  /** Grants the locks of these plugins' firings, in this order, in one step. */
  grant(...plugins: string[]): void {
    for (const plugin of plugins) {
      const key = this.requested.find((k) => k.startsWith(`belfry:run:${plugin}:`)) as string;
      this.answers.get(key)?.({ key, lockId: `id-${plugin}`, ttlMs: 30_000 });
      this.answers.delete(key);
    }
  }

  async renew(): Promise<void> {}
  async release(): Promise<void> {}
}

describe('a burst of firings due at one instant', () => {
  it('starts each firing once its lock is held, without waiting for other firings’ lock answers; answers that come together start in priority order', async () => {
    const clock = new ManualClock(T0);
    const locking = new HeldAnswersLocking();
    const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger() });
    const started: string[] = [];
    const make = (name: string, priority: number, hint: LockingHint) =>
      recordingPlugin(name, [{ id: 's', cron: '1m', locking: hint }], () => void started.push(name), priority);
    await scheduler.register(make('c', 3, 'require_global'));
    await scheduler.register(make('a', 1, 'require_global'));
    await scheduler.register(make('local', 4, 'node_local'));
    await scheduler.register(make('b', 2, 'require_global'));
    await scheduler.start();
    await clock.advance(60_000);
    // Lock requests went out in priority order; the firing that needs no lock did not wait for them.
    expect(locking.requested.map((key) => key.split(':')[2])).toEqual(['a', 'b', 'c']);
    expect(started).toEqual(['local']);
    locking.grant('c');
    await clock.advance(0);
    expect(started).toEqual(['local', 'c']);
    // Answered in one step, lowest priority value first.
    locking.grant('b', 'a');
    await clock.advance(0);
    expect(started).toEqual(['local', 'c', 'a', 'b']);
    await scheduler.stop();
  });

  it('keeps priority order among a thousand firings whose locks answer at once', async () => {
    const clock = new ManualClock(T0);
    const { MemoryLocking } = await import('@belfry/locking-memory');
    const scheduler = new Scheduler({ clock, locking: new MemoryLocking({ clock }), logger: new RecordingLogger() });
    const started: number[] = [];
    for (let i = 0; i < 1_000; i += 1) {
      // Registered in reverse, so start order comes from priority, not registration.
      const priority = 1_000 - i;
      await scheduler.register(recordingPlugin(`p${priority}`, [{ id: 's', cron: '1m', locking: i % 3 === 0 ? 'node_local' : 'require_global' }], () => void started.push(priority), priority));
    }
    await scheduler.start();
    await clock.advance(60_000);
    expect(started).toHaveLength(1_000);
    expect(started).toEqual([...started].sort((x, y) => x - y));
    await scheduler.stop();
  });

  it('starts the first firing of a thousand before the other lock requests have all been sent', async () => {
    const clock = new ManualClock(T0);
    const { MemoryLocking } = await import('@belfry/locking-memory');
    const inner = new MemoryLocking({ clock });
    let requests = 0;
    const locking: LockingPlugin = {
      name: 'counting',
      tryLock: (key, ttlMs) => {
        requests += 1;
        return inner.tryLock(key, ttlMs);
      },
      renew: (handle) => inner.renew(handle),
      release: (handle) => inner.release(handle),
    };
    const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger() });
    const requestsSentAtStart: number[] = [];
    const schedules = Array.from({ length: 1_000 }, (_, i) => ({ id: `s${i}`, cron: '1m' }));
    await scheduler.register({ name: 'p', schedules: () => schedules, run: () => void requestsSentAtStart.push(requests) });
    await scheduler.start();
    await clock.advance(60_000);
    expect(requestsSentAtStart).toHaveLength(1_000);
    // Requests go out 32 at a time; answered firings start two slices later instead of after all 1,000.
    expect(requestsSentAtStart[0]).toBeLessThanOrEqual(96);
    await scheduler.stop();
  });

  it('renews the locks of a burst’s runs on one shared timer, and every one of them in time', async () => {
    const clock = new ManualClock(T0);
    const { MemoryLocking } = await import('@belfry/locking-memory');
    const inner = new MemoryLocking({ clock });
    const renewed = new Set<string>();
    const locking: LockingPlugin = {
      name: 'counting',
      tryLock: (key, ttlMs) => inner.tryLock(key, ttlMs),
      renew: (handle) => {
        renewed.add(handle.key);
        return inner.renew(handle);
      },
      release: (handle) => inner.release(handle),
    };
    const scheduler = new Scheduler({ clock, locking, lockTtlMs: 3_000, logger: new RecordingLogger() });
    const finish: (() => void)[] = [];
    const schedules = Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, cron: '1h' }));
    await scheduler.register({ name: 'p', schedules: () => schedules, run: () => new Promise<void>((resolve) => void finish.push(resolve)) });
    await scheduler.start();
    const idleTimers = clock.pendingTimers;
    await clock.advance(3_600_000);
    expect(finish).toHaveLength(100);
    // One renewal timer for the 100 runs, beside the scheduler's own.
    expect(clock.pendingTimers).toBe(idleTimers + 1);
    await clock.advance(1_000);
    expect(renewed.size).toBe(100);
    for (const done of finish) done();
    await clock.advance(0);
    // Runs that ended took their renewals with them.
    expect(clock.pendingTimers).toBe(idleTimers);
    await scheduler.stop();
  });

  it('keeps the firings of a burst that stop() cut off owed, so a restart catches them up', async () => {
    const clock = new ManualClock(T0);
    const first = new Scheduler({ clock, logger: new RecordingLogger() });
    const ran = new Set<string>();
    const schedules = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, cron: '1m', locking: 'node_local' as const }));
    let stopping: Promise<void> | undefined;
    await first.register({
      name: 'p',
      schedules: () => schedules,
      run: (ctx) => {
        ran.add(ctx.scheduleId);
        stopping ??= first.stop({ graceMs: 0 });
      },
    });
    await first.start();
    await clock.advance(60_000);
    await stopping;
    expect(ran.size).toBeGreaterThan(0);
    expect(ran.size).toBeLessThan(200);
    const second = new Scheduler({ clock, logger: new RecordingLogger() });
    second.restoreSnapshot(first.snapshot());
    const caughtUp = new Set<string>();
    await second.register({ name: 'p', schedules: () => schedules, run: (ctx) => void caughtUp.add(ctx.scheduleId) });
    await second.start();
    await clock.advance(0);
    expect([...ran, ...caughtUp].sort()).toEqual(schedules.map((s) => s.id).sort());
    await second.stop();
  });
});
