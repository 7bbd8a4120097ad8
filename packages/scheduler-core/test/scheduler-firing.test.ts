import { describe, expect, it } from 'vitest';
import { RunTimeoutError, type Clock } from '@belfry/plugin-api';
import { ManualClock, Scheduler } from '../src/index.js';
import { collectEvents, deferred, iso, RecordingLogger, recordingPlugin, T0 } from './support.js';

function setup(options: { start?: number; clock?: Clock } = {}) {
  const manual = new ManualClock(options.start ?? T0);
  const logger = new RecordingLogger();
  const scheduler = new Scheduler({ clock: options.clock ?? manual, logger, nodeId: 'node-a' });
  const events = collectEvents(scheduler);
  return { clock: manual, logger, scheduler, events };
}

describe('Scheduler firing', () => {
  it('runs each occurrence of an interval at its nominal time', async () => {
    const { clock, scheduler } = setup({ start: T0 + 7_000 });
    const plugin = recordingPlugin('p', [{ id: 'every30s', cron: '30s', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    const seenAt: number[] = [];
    scheduler.on('run:start', (event) => seenAt.push(event.startedAt));
    await clock.advance(95_000);
    expect(plugin.runs.map((run) => iso(run.scheduledAt))).toEqual([
      '2026-05-01T00:00:30.000Z',
      '2026-05-01T00:01:00.000Z',
      '2026-05-01T00:01:30.000Z',
    ]);
    expect(seenAt).toEqual(plugin.runs.map((run) => run.scheduledAt));
    expect(plugin.runs.map((run) => run.runCount)).toEqual([1, 2, 3]);
    expect(plugin.runs.every((run) => !run.isCatchup)).toBe(true);
    await scheduler.stop();
  });

  it('runs cron schedules in their time zone, across a DST change', async () => {
    const { clock, scheduler } = setup({ start: Date.parse('2026-03-07T12:00:00Z') });
    const plugin = recordingPlugin('p', [{ id: 'nightly', cron: '30 2 * * *', timezone: 'America/New_York', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advanceTo(Date.parse('2026-03-09T12:00:00Z'));
    expect(plugin.runs.map((run) => iso(run.scheduledAt))).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
    await scheduler.stop();
  });

  it('keeps a single timer however many schedules are registered', async () => {
    const { clock, scheduler } = setup();
    for (let i = 0; i < 50; i += 1) {
      await scheduler.register(recordingPlugin(`p${i}`, [{ id: 'a', cron: `${(i % 9) + 1}m`, locking: 'node_local' }, { id: 'b', cron: '@hourly', locking: 'node_local' }]));
    }
    await scheduler.start();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(10 * 60_000);
    expect(clock.pendingTimers).toBe(1);
    await scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('never waits longer than 30 s between looks at the clock, even for a yearly schedule', async () => {
    const manual = new ManualClock(T0);
    const delays: number[] = [];
    const recording: Clock = {
      now: () => manual.now(),
      setTimer: (callback, delayMs) => {
        delays.push(delayMs);
        return manual.setTimer(callback, delayMs);
      },
    };
    const { scheduler } = setup({ clock: recording });
    await scheduler.register(recordingPlugin('p', [{ id: 'y', cron: '@yearly', locking: 'node_local' }]));
    await scheduler.start();
    await manual.advance(5 * 60_000);
    expect(delays.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
    await scheduler.stop();
  });

  it('fires a schedule whose next occurrence is beyond setTimeout’s 24.8-day limit on time', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new Scheduler({ clock, logger: new RecordingLogger(), maxTimerDelayMs: 40 * 86_400_000 });
    const plugin = recordingPlugin('p', [{ id: 'far', cron: '0 0 10 6 *', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advanceTo(Date.parse('2026-06-10T00:00:00Z') - 1);
    expect(plugin.runs).toHaveLength(0);
    await clock.advance(1);
    expect(plugin.runs.map((run) => iso(run.scheduledAt))).toEqual(['2026-06-10T00:00:00.000Z']);
    await scheduler.stop();
  });

  it('runs a daily schedule through two days of 30-second re-arms exactly twice', async () => {
    const { clock, scheduler } = setup();
    const plugin = recordingPlugin('p', [{ id: 'd', cron: '@daily', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(2 * 86_400_000);
    expect(plugin.runs.map((run) => iso(run.scheduledAt))).toEqual(['2026-05-02T00:00:00.000Z', '2026-05-03T00:00:00.000Z']);
    await scheduler.stop();
  });

  it('never runs an occurrence early when the timer fires early', async () => {
    const manual = new ManualClock(T0);
    const early: Clock = {
      now: () => manual.now(),
      // A timer that goes off at a third of its delay, then again at the full delay.
      setTimer: (callback, delayMs) => {
        const a = manual.setTimer(callback, Math.max(1, Math.floor(delayMs / 3)));
        const b = manual.setTimer(callback, delayMs);
        return () => {
          a();
          b();
        };
      },
    };
    const { scheduler } = setup({ clock: early });
    const startedAt: number[] = [];
    const plugin = recordingPlugin('p', [{ id: 'm', cron: '1m', locking: 'node_local' }], () => {
      startedAt.push(manual.now());
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await manual.advance(5 * 60_000);
    expect(plugin.runs.map((run) => run.scheduledAt)).toEqual([1, 2, 3, 4, 5].map((m) => T0 + m * 60_000));
    startedAt.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(plugin.runs[i]?.scheduledAt ?? Infinity));
    await scheduler.stop();
  });

  it('never runs an occurrence twice when the timer fires twice', async () => {
    const manual = new ManualClock(T0);
    const twice: Clock = {
      now: () => manual.now(),
      setTimer: (callback, delayMs) => {
        const a = manual.setTimer(callback, delayMs);
        const b = manual.setTimer(callback, delayMs);
        return () => {
          a();
          b();
        };
      },
    };
    const { scheduler } = setup({ clock: twice });
    const plugin = recordingPlugin('p', [{ id: 's', cron: '10s', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await manual.advance(60_000);
    expect(plugin.runs.map((run) => run.scheduledAt)).toEqual([1, 2, 3, 4, 5, 6].map((i) => T0 + i * 10_000));
    await scheduler.stop();
  });

  it('does not run occurrences again when the wall clock steps backwards', async () => {
    const { clock, scheduler } = setup();
    const plugin = recordingPlugin('p', [{ id: 'm', cron: '1m', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(3 * 60_000);
    clock.jumpTo(T0 + 30_000);
    await clock.advance(3 * 60_000);
    expect(plugin.runs.map((run) => run.scheduledAt)).toEqual([1, 2, 3].map((m) => T0 + m * 60_000));
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(4);
    await scheduler.stop();
  });

  it('starts firings due in the same instant in priority order, lower first', async () => {
    const { clock, scheduler } = setup();
    const order: string[] = [];
    const make = (name: string, priority?: number) =>
      recordingPlugin(name, [{ id: 's', cron: '1m', locking: 'node_local' }], () => {
        order.push(name);
      }, priority);
    await scheduler.register(make('default'));
    await scheduler.register(make('late', 5000));
    await scheduler.register(make('urgent', 1));
    await scheduler.register(make('early', 10));
    await scheduler.start();
    await clock.advance(60_000);
    expect(order).toEqual(['urgent', 'early', 'default', 'late']);
    await scheduler.stop();
  });

  it('delays a firing by its jitter without changing which occurrence it is', async () => {
    const { clock, scheduler } = setup();
    const started: { scheduledAt: number; at: number }[] = [];
    const plugin = recordingPlugin('p', [{ id: 'j', cron: '1m', jitterMs: 20_000, locking: 'node_local' }], (ctx) => {
      started.push({ scheduledAt: ctx.scheduledAt, at: clock.now() });
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(10 * 60_000 + 30_000);
    expect(started.map((s) => s.scheduledAt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => T0 + m * 60_000));
    for (const { scheduledAt, at } of started) {
      expect(at - scheduledAt).toBeGreaterThanOrEqual(0);
      expect(at - scheduledAt).toBeLessThan(20_000);
    }
    expect(new Set(started.map((s) => s.at - s.scheduledAt)).size).toBeGreaterThan(1);
    await scheduler.stop();
  });

  it('spreads jitter over the whole range: few runs start at 0 ms and some wait more than half of jitterMs', async () => {
    const { clock, scheduler } = setup();
    const delays: number[] = [];
    const plugin = recordingPlugin('p', [{ id: 'j', cron: '1m', jitterMs: 30_000, locking: 'node_local' }], (ctx) => {
      delays.push(clock.now() - ctx.scheduledAt);
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(400 * 60_000);
    expect(delays.length).toBeGreaterThanOrEqual(399);
    expect(delays.filter((delay) => delay === 0).length).toBeLessThan(5);
    expect(delays.filter((delay) => delay > 15_000).length).toBeGreaterThan(150);
    expect(Math.max(...delays)).toBeLessThan(30_000);
    await scheduler.stop();
  });

  it('computes the same jitter for the same occurrence on every node', async () => {
    const delaysOn = async (nodeId: string) => {
      const clock = new ManualClock(T0);
      const scheduler = new Scheduler({ clock, logger: new RecordingLogger(), nodeId });
      const delays: number[] = [];
      await scheduler.register(recordingPlugin('p', [{ id: 'j', cron: '1m', jitterMs: 30_000, locking: 'node_local' }], (ctx) => {
        delays.push(clock.now() - ctx.scheduledAt);
      }));
      await scheduler.start();
      await clock.advance(5 * 60_000 + 30_000);
      await scheduler.stop();
      return delays;
    };
    expect(await delaysOn('a')).toEqual(await delaysOn('b'));
  });

  it('skips a firing while the previous run of the schedule is still going (overlap)', async () => {
    const { clock, scheduler, events } = setup();
    const hold = deferred();
    const plugin = recordingPlugin('p', [{ id: 'slow', cron: '1m', locking: 'node_local' }], () => hold.promise);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(3 * 60_000);
    expect(plugin.runs).toHaveLength(1);
    const skips = events.filter((e) => e.name === 'run:skip').map((e) => e.event);
    expect(skips).toEqual([
      expect.objectContaining({ plugin: 'p', scheduleId: 'slow', reason: 'overlap', scheduledAt: T0 + 120_000, nodeId: 'node-a' }),
      expect.objectContaining({ reason: 'overlap', scheduledAt: T0 + 180_000 }),
    ]);
    expect(scheduler.status().schedules[0]).toMatchObject({ running: true, lastSkipReason: 'overlap' });
    hold.resolve();
    await clock.advance(60_000);
    expect(plugin.runs).toHaveLength(2);
    await scheduler.stop();
  });

  it('records a throwing or rejecting run and keeps firing', async () => {
    const { clock, scheduler, events } = setup();
    let n = 0;
    const plugin = recordingPlugin('p', [{ id: 'flaky', cron: '1m', locking: 'node_local' }], () => {
      n += 1;
      if (n === 1) throw new TypeError('boom');
      if (n === 2) return Promise.reject(Object.assign(new Error('nope'), { code: 'E_NOPE' }));
      return undefined;
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(3 * 60_000);
    expect(plugin.runs).toHaveLength(3);
    const errors = events.filter((e) => e.name === 'run:error').map((e) => e.event);
    expect(errors).toEqual([
      expect.objectContaining({ error: { name: 'TypeError', message: 'boom' } }),
      expect.objectContaining({ error: { name: 'Error', message: 'nope', code: 'E_NOPE' } }),
    ]);
    expect(events.filter((e) => e.name === 'run:success')).toHaveLength(1);
    expect(scheduler.status().schedules[0]).toMatchObject({ runCount: 3, errorCount: 2, lastOutcome: 'success', lastError: { message: 'nope' } });
    await scheduler.stop();
  });

  it('aborts ctx.signal when a run passes its timeout and records the run as failed', async () => {
    const { clock, scheduler, events } = setup();
    let aborted: unknown;
    const plugin = recordingPlugin('p', [{ id: 't', cron: '1m', timeoutMs: 5_000, locking: 'node_local' }], (ctx) =>
      new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = ctx.signal.reason;
          resolve();
        });
      }),
    );
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000 + 4_999);
    expect(aborted).toBeUndefined();
    await clock.advance(1);
    expect(aborted).toBeInstanceOf(RunTimeoutError);
    expect(aborted).toMatchObject({ name: 'RunTimeoutError', code: 'run_timeout', timeoutMs: 5_000 });
    const error = events.find((e) => e.name === 'run:error')?.event;
    expect(error).toMatchObject({ durationMs: 5_000, error: { name: 'RunTimeoutError', code: 'run_timeout', message: 'Run of p/t timed out after 5000 ms' } });
    await scheduler.stop();
  });

  it('records a run that throws a value that cannot be printed (null-prototype object, revoked proxy)', async () => {
    const { clock, scheduler, events, logger } = setup();
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const thrown: unknown[] = [Object.create(null), revoked.proxy];
    const plugin = recordingPlugin('p', [{ id: 'odd', cron: '1m', locking: 'node_local' }], () => {
      throw thrown.shift();
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(2 * 60_000);
    const errors = events.filter((e) => e.name === 'run:error').map((e) => e.event as { error: { name: string; message: string } });
    expect(errors).toHaveLength(2);
    for (const { error } of errors) {
      expect(error.name).toBe('Error');
      expect(error.message).toMatch(/^non-error value thrown: /);
    }
    expect(scheduler.status().schedules[0]).toMatchObject({ runCount: 2, errorCount: 2, lastOutcome: 'error' });
    expect(logger.at('error')).toEqual(['Scheduled run failed', 'Scheduled run failed']);
    await scheduler.stop();
  });

  it('keeps firing when an event listener throws a value that cannot be printed', async () => {
    const { clock, scheduler, logger } = setup();
    const plugin = recordingPlugin('p', [{ id: 'l', cron: '1m', locking: 'node_local' }]);
    scheduler.on('run:start', () => {
      throw Object.create(null);
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(2 * 60_000);
    expect(plugin.runs).toHaveLength(2);
    expect(scheduler.status().schedules[0]).toMatchObject({ runCount: 2, errorCount: 0, lastOutcome: 'success' });
    expect(logger.at('warn')).toEqual(['A run:start listener threw; other listeners still run', 'A run:start listener threw; other listeners still run']);
    await scheduler.stop();
  });

  it('passes the registration scope and schedule id to the run', async () => {
    const { clock, scheduler } = setup();
    const plugin = recordingPlugin('p', [{ id: 'scoped', cron: '1m', locking: 'node_local' }]);
    await scheduler.register(plugin, { tenantId: 't1', siteId: 's1' });
    await scheduler.start();
    await clock.advance(60_000);
    expect(plugin.runs[0]).toMatchObject({ scheduleId: 'scoped', tenantId: 't1', siteId: 's1', isCatchup: false, runCount: 1 });
    expect(plugin.runs[0]?.fence).toBeUndefined();
    await scheduler.stop();
  });

  it('fires plugins registered after start', async () => {
    const { clock, scheduler } = setup();
    await scheduler.start();
    await clock.advance(30_000);
    const plugin = recordingPlugin('late', [{ id: 's', cron: '1m', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await clock.advance(30_000);
    expect(plugin.runs.map((run) => run.scheduledAt)).toEqual([T0 + 60_000]);
    await scheduler.stop();
  });

  it('stops firing when a schedule has no further occurrence', async () => {
    const { clock, scheduler } = setup();
    const plugin = recordingPlugin('p', [{ id: 'never', cron: '0 0 30 2 *', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    expect(scheduler.status().schedules[0]?.nextRunAt).toBeNull();
    await clock.advance(120_000);
    expect(plugin.runs).toHaveLength(0);
    await scheduler.stop();
  });

  it('keeps delivering events to other listeners when one throws', async () => {
    const { clock, scheduler, logger } = setup();
    const seen: string[] = [];
    scheduler.on('run:start', () => {
      throw new Error('listener broke');
    });
    scheduler.on('run:start', (event) => seen.push(event.scheduleId));
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }]));
    await scheduler.start();
    await clock.advance(60_000);
    expect(seen).toEqual(['s']);
    expect(logger.at('warn').some((m) => m.includes('listener threw'))).toBe(true);
    await scheduler.stop();
  });

  it('keeps firing when the logger itself throws', async () => {
    const clock = new ManualClock(T0);
    const throwing = {
      info: () => {
        throw new Error('log sink down');
      },
      warn: () => {
        throw new Error('log sink down');
      },
      error: () => {
        throw new Error('log sink down');
      },
    };
    const scheduler = new Scheduler({ clock, logger: throwing });
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m' }], () => {
      throw new Error('run failed');
    });
    await scheduler.register(plugin);
    await scheduler.start(); // warns about the missing backend: the logger throws
    await clock.advance(3 * 60_000);
    expect(plugin.runs).toHaveLength(3);
    expect(scheduler.status().schedules[0]?.errorCount).toBe(3);
    await scheduler.stop();
  });

  it('stops delivering an event once unsubscribed', async () => {
    const { clock, scheduler } = setup();
    const seen: number[] = [];
    const off = scheduler.on('run:success', (event) => seen.push(event.scheduledAt));
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }]));
    await scheduler.start();
    await clock.advance(60_000);
    off();
    off();
    await clock.advance(60_000);
    expect(seen).toEqual([T0 + 60_000]);
    await scheduler.stop();
  });
});
