import { describe, expect, it } from 'vitest';
import type { ScheduledPlugin } from '@belfry/plugin-api';
import { ManualClock, Scheduler } from '../src/index.js';
import { collectEvents, deferred, RecordingLogger, recordingPlugin, T0 } from './support.js';

function setup() {
  const clock = new ManualClock(T0);
  const logger = new RecordingLogger();
  const scheduler = new Scheduler({ clock, logger, nodeId: 'node-a' });
  const events = collectEvents(scheduler);
  return { clock, logger, scheduler, events };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('Scheduler.register', () => {
  it('rejects a second plugin with the same name', async () => {
    const { scheduler } = setup();
    await scheduler.register(recordingPlugin('dup', [{ id: 'a', cron: '1m' }]));
    const error = await rejection(scheduler.register(recordingPlugin('dup', [{ id: 'b', cron: '1m' }])));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('"dup" is already registered');
  });

  it('rejects the same name even while the first registration is still reading its schedules', async () => {
    const { scheduler } = setup();
    const slow: ScheduledPlugin = { name: 'same', schedules: async () => [{ id: 'a', cron: '1m' }], run: () => undefined };
    const [first, second] = await Promise.allSettled([scheduler.register(slow), scheduler.register({ ...slow })]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'invalid_argument' } });
  });

  it('rejects duplicate schedule ids within a plugin and registers nothing of it', async () => {
    const { scheduler } = setup();
    const error = await rejection(scheduler.register(recordingPlugin('p', [{ id: 'x', cron: '1m' }, { id: 'x', cron: '5m' }])));
    expect(error.message).toBe('Plugin "p" declares schedule id "x" twice; ids must be unique within a plugin');
    expect(scheduler.status().schedules).toHaveLength(0);
    await scheduler.register(recordingPlugin('p', [{ id: 'x', cron: '1m' }]));
    expect(scheduler.status().schedules).toHaveLength(1);
  });

  it('rejects a schedule that does not parse, naming the plugin, the schedule and the bad part', async () => {
    const { scheduler } = setup();
    const error = (await rejection(
      scheduler.register(recordingPlugin('reports', [{ id: 'ok', cron: '1m' }, { id: 'nightly', cron: '0 25 * * *' }])),
    )) as Error & { code: string; part?: string; expression?: string };
    expect(error.code).toBe('schedule_parse');
    expect(error.part).toBe('25');
    expect(error.expression).toBe('0 25 * * *');
    expect(error.message).toBe(
      'Invalid schedule "0 25 * * *" (at "25"): hour field: value 25 is out of range 0-23 (in schedule "nightly" of plugin "reports")',
    );
    expect(scheduler.status().schedules).toHaveLength(0);
  });

  it('keeps the message of a huge expression short at register, naming plugin and schedule once', async () => {
    const { scheduler } = setup();
    const cron = `0 0 * * ${'1,'.repeat(50_000)}FOO`;
    const error = (await rejection(scheduler.register(recordingPlugin('p', [{ id: 's', cron }])))) as Error & { expression?: string };
    expect(error.expression).toBe(cron);
    expect(error.message.length).toBeLessThan(500);
    expect(error.message).toMatch(/day of week field: "FOO" is not a day name; .* \(in schedule "s" of plugin "p"\)$/);
    expect(error.message.match(/Invalid schedule/g)).toHaveLength(1);
  });

  it('rejects an unknown time zone at register', async () => {
    const { scheduler } = setup();
    const error = await rejection(scheduler.register(recordingPlugin('p', [{ id: 's', cron: '@daily', timezone: 'Europe/Atlantis' }])));
    expect(error).toMatchObject({ code: 'schedule_parse' });
    expect(error.message).toContain('(at "Europe/Atlantis"): unknown time zone; use an IANA name');
    expect(error.message).toContain('schedule "s" of plugin "p"');
  });

  it.each([
    [{ id: '', cron: '1m' }, /Schedule id of plugin "p" must be a non-empty string/],
    [{ id: 's', cron: 5 }, /cron expression of schedule "s" of plugin "p" must be a string/],
    [{ id: 's', cron: '1m', jitterMs: -1 }, /Field "jitterMs" of schedule "s" of plugin "p" must be a non-negative integer of ms \(got -1\)/],
    [{ id: 's', cron: '1m', jitterMs: 1.5 }, /jitterMs/],
    [{ id: 's', cron: '1m', timeoutMs: 0 }, /Field "timeoutMs" of schedule "s" of plugin "p" must be a positive integer/],
    [{ id: 's', cron: '1m', missedRunPolicy: 'sometimes' }, /Field "missedRunPolicy" of schedule "s" of plugin "p" must be one of run_once, skip, run_all \(got "sometimes"/],
    [{ id: 's', cron: '1m', locking: 'global' }, /Field "locking" of schedule "s" of plugin "p" must be one of node_local, require_global, prefer_global/],
    [{ id: 's', cron: '1m', timezone: 3 }, /Field "timezone" of schedule "s" of plugin "p" must be an IANA zone name/],
    ['not an object', /must be an object/],
  ])('rejects the bad schedule %j with a message naming the field', async (schedule, message) => {
    const { scheduler } = setup();
    const plugin: ScheduledPlugin = { name: 'p', schedules: () => [schedule as never], run: () => undefined };
    const error = await rejection(scheduler.register(plugin));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(message);
  });

  it('rejects malformed plugins and scopes', async () => {
    const { scheduler } = setup();
    expect((await rejection(scheduler.register(null as never))).message).toMatch(/needs a ScheduledPlugin object \(got null\)/);
    expect((await rejection(scheduler.register({ name: '', schedules: () => [], run: () => undefined }))).message).toMatch(/Plugin name/);
    expect((await rejection(scheduler.register({ name: 'p', schedules: () => [] } as never))).message).toMatch(/run\(\) and schedules\(\)/);
    expect((await rejection(scheduler.register({ name: 'p', schedules: () => 'x' as never, run: () => undefined }))).message).toMatch(/must return an array/);
    expect((await rejection(scheduler.register({ name: 'p', priority: Number.NaN, schedules: () => [], run: () => undefined }))).message).toMatch(/Priority of plugin "p"/);
    expect((await rejection(scheduler.register({ name: 'p', schedules: () => [], run: () => undefined }, { tenantId: 3 } as never))).message).toMatch(/tenantId/);
  });

  it('passes through an error thrown by schedules() and frees the name', async () => {
    const { scheduler } = setup();
    const broken: ScheduledPlugin = { name: 'p', schedules: () => Promise.reject(new Error('no config')), run: () => undefined };
    expect((await rejection(scheduler.register(broken))).message).toBe('no config');
    await scheduler.register(recordingPlugin('p', []));
  });
});

describe('Scheduler options', () => {
  it.each([
    [{ skewToleranceMs: -1 }, /skewToleranceMs" must be a non-negative integer \(got -1\)/],
    [{ lockTtlMs: 0 }, /lockTtlMs" must be a positive integer/],
    [{ missedRunGraceMs: 'x' }, /missedRunGraceMs/],
    [{ maxCatchupRuns: 0 }, /maxCatchupRuns" must be a positive integer/],
    [{ maxTimerDelayMs: 0 }, /maxTimerDelayMs/],
    [{ catchupSpreadMs: 1.5 }, /catchupSpreadMs/],
    [{ nodeId: '' }, /nodeId/],
    [{ clock: {} }, /clock/],
    [{ logger: {} }, /logger/],
    [{ locking: { name: 'x' } }, /LockingPlugin/],
    [{ stateId: '' }, /stateId/],
  ])('rejects %j', (options, message) => {
    expect(() => new Scheduler(options as never)).toThrow(message);
  });

  it('names the node after host and pid by default', () => {
    const scheduler = new Scheduler({ logger: new RecordingLogger() });
    expect(scheduler.nodeId).toMatch(new RegExp(`:${process.pid}$`));
    expect(scheduler.status()).toMatchObject({ state: 'idle', locking: null, schedules: [] });
  });
});

describe('Scheduler control', () => {
  it('refuses to start twice and to register after stop', async () => {
    const { scheduler } = setup();
    await scheduler.start();
    await expect(scheduler.start()).rejects.toThrow(/only be called once/);
    await scheduler.stop();
    await expect(scheduler.register(recordingPlugin('p', []))).rejects.toThrow(/scheduler is stopped/);
    await scheduler.stop();
  });

  it('triggers a run now, outside the timetable, and reports its outcome', async () => {
    const { clock, scheduler, events } = setup();
    const plugin = recordingPlugin('p', [{ id: 's', cron: '@daily', locking: 'node_local' }]);
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(1_234);
    await expect(scheduler.trigger('p', 's')).resolves.toBe('success');
    expect(plugin.runs).toEqual([expect.objectContaining({ scheduledAt: T0 + 1_234, isCatchup: false, runCount: 1 })]);
    expect(events.find((e) => e.name === 'run:start')?.event).toMatchObject({ manual: true });
    expect(() => scheduler.trigger('p', 'nope')).toThrow('trigger(): no schedule "nope" (string of length 4) registered for plugin "p" (string of length 1)');
    expect(() => scheduler.trigger(Object.create(null) as string, 's')).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    await scheduler.stop();
  });

  it('skips a trigger while the schedule is already running', async () => {
    const { scheduler } = setup();
    const hold = deferred();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '@daily', locking: 'node_local' }], () => hold.promise));
    await scheduler.start();
    const first = scheduler.trigger('p', 's');
    await expect(scheduler.trigger('p', 's')).resolves.toBe('skipped');
    hold.resolve();
    await expect(first).resolves.toBe('success');
    await scheduler.stop();
  });

  it('reports a failing triggered run as error', async () => {
    const { scheduler } = setup();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '@daily', locking: 'node_local' }], () => {
      throw new Error('bad');
    }));
    await scheduler.start();
    await expect(scheduler.trigger('p', 's')).resolves.toBe('error');
    await scheduler.stop();
  });

  it('skips firings of paused schedules as paused and fires again after resume', async () => {
    const { clock, scheduler, events } = setup();
    const a = recordingPlugin('a', [{ id: 's', cron: '1m', locking: 'node_local' }, { id: 't', cron: '1m', locking: 'node_local' }]);
    const b = recordingPlugin('b', [{ id: 's', cron: '1m', locking: 'node_local' }]);
    await scheduler.register(a);
    await scheduler.register(b);
    await scheduler.start();
    scheduler.pause('a', 's');
    await clock.advance(60_000);
    expect(a.runs.map((r) => r.scheduleId)).toEqual(['t']);
    scheduler.pause('a');
    await clock.advance(60_000);
    expect(a.runs).toHaveLength(1);
    scheduler.pause();
    await clock.advance(60_000);
    expect(b.runs).toHaveLength(2);
    expect(scheduler.status().schedules.every((s) => s.paused)).toBe(true);
    expect(events.filter((e) => e.name === 'run:skip').every((e) => 'reason' in e.event && e.event.reason === 'paused')).toBe(true);
    scheduler.resume();
    await clock.advance(60_000);
    expect(a.runs).toHaveLength(3);
    expect(b.runs).toHaveLength(3);
    expect(() => scheduler.pause('ghost')).toThrow(/no plugin "ghost"/);
    expect(() => scheduler.resume(undefined, 's')).toThrow(/needs a plugin name/);
    await scheduler.stop();
  });

  it('reports next and last runs, counts, durations and skip reasons in status', async () => {
    const { clock, scheduler } = setup();
    await scheduler.register(
      recordingPlugin('p', [{ id: 's', cron: '1m', description: 'sweeps', locking: 'node_local', missedRunPolicy: 'skip' }], async () => {
        await new Promise<void>((resolve) => clock.setTimer(resolve, 2_000));
      }),
      {},
    );
    expect(scheduler.status().schedules[0]).toMatchObject({ nextRunAt: null, runCount: 0, lastRunAt: null });
    await scheduler.start();
    expect(scheduler.status().schedules[0]?.nextRunAt).toBe(T0 + 60_000);
    await clock.advance(61_000);
    expect(scheduler.status().schedules[0]).toMatchObject({ running: true, runCount: 1, lastRunAt: T0 + 60_000 });
    await clock.advance(1_000);
    expect(scheduler.status()).toEqual({
      nodeId: 'node-a',
      state: 'running',
      locking: null,
      schedules: [
        {
          plugin: 'p',
          scheduleId: 's',
          description: 'sweeps',
          expression: '1m',
          timezone: 'UTC',
          locking: 'node_local',
          locked: false,
          missedRunPolicy: 'skip',
          priority: 1000,
          paused: false,
          running: false,
          nextRunAt: T0 + 120_000,
          lastScheduledAt: T0 + 60_000,
          lastRunAt: T0 + 60_000,
          lastFinishedAt: T0 + 62_000,
          lastOutcome: 'success',
          lastDurationMs: 2_000,
          lastError: null,
          lastSkipReason: null,
          runCount: 1,
          errorCount: 0,
          droppedCount: 0,
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(scheduler.status()))).toEqual(scheduler.status());
    await scheduler.stop();
    expect(scheduler.status().state).toBe('stopped');
  });

  it('rejects unknown event names and non-function listeners', () => {
    const { scheduler } = setup();
    expect(() => scheduler.on('run:finish' as never, () => undefined)).toThrow(/Unknown scheduler event "run:finish"/);
    expect(() => scheduler.on('run:start', 'x' as never)).toThrow(/must be a function/);
  });
});

describe('Scheduler.stop', () => {
  it('waits for running runs to finish within the grace period', async () => {
    const { clock, scheduler, events } = setup();
    let signal: AbortSignal | undefined;
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], async (ctx) => {
      signal = ctx.signal;
      await new Promise<void>((resolve) => clock.setTimer(resolve, 3_000));
    }));
    await scheduler.start();
    await clock.advance(60_000);
    let stopped = false;
    const stopping = scheduler.stop({ graceMs: 10_000 }).then(() => {
      stopped = true;
    });
    expect(scheduler.status().state).toBe('stopping');
    await clock.advance(2_999);
    expect(stopped).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(signal?.aborted).toBe(false);
    expect(events.some((e) => e.name === 'run:success')).toBe(true);
  });

  it('aborts ctx.signal of runs still going after the grace period and stops firing', async () => {
    const { clock, scheduler } = setup();
    let signal: AbortSignal | undefined;
    const plugin = recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], (ctx) => {
      signal = ctx.signal;
      return new Promise<void>(() => undefined);
    });
    await scheduler.register(plugin);
    await scheduler.start();
    await clock.advance(60_000);
    const stopping = scheduler.stop({ graceMs: 5_000 });
    await clock.advance(4_999);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(signal?.aborted).toBe(true);
    expect(String((signal?.reason as Error).message)).toContain('grace period');
    await clock.advance(10 * 60_000);
    expect(plugin.runs).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('with graceMs 0 aborts running runs at once, without waiting for the clock to move', async () => {
    const { clock, scheduler, events } = setup();
    let signal: AbortSignal | undefined;
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], (ctx) => {
      signal = ctx.signal;
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    }));
    await scheduler.start();
    await clock.advance(60_000);
    const stopAt = clock.now();
    // Nobody advances the ManualClock: stop() must settle on its own.
    const outcome = await Promise.race([
      scheduler.stop({ graceMs: 0 }).then(() => 'stopped'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000)),
    ]);
    expect(outcome).toBe('stopped');
    expect(clock.now()).toBe(stopAt);
    expect(signal?.aborted).toBe(true);
    expect(scheduler.status().state).toBe('stopped');
    expect(clock.pendingTimers).toBe(0);
    expect(events.some((e) => e.name === 'run:success')).toBe(false);
  }, 20_000);

  it('resolves a second stop() only once the first has finished', async () => {
    const { clock, scheduler } = setup();
    const hold = deferred();
    await scheduler.register(recordingPlugin('p', [{ id: 's', cron: '1m', locking: 'node_local' }], () => hold.promise));
    await scheduler.start();
    await clock.advance(60_000);
    const done: string[] = [];
    const first = scheduler.stop({ graceMs: 10_000 }).then(() => done.push('first'));
    const second = scheduler.stop({ graceMs: 10_000 }).then(() => done.push('second'));
    await clock.advance(1_000);
    expect(done).toEqual([]);
    hold.resolve();
    await clock.advance(0);
    await Promise.all([first, second]);
    expect(done).toEqual(['first', 'second']);
    expect(scheduler.status().state).toBe('stopped');
  });

  it('rejects a bad grace period', async () => {
    const { scheduler } = setup();
    await expect(scheduler.stop({ graceMs: -5 })).rejects.toThrow(/graceMs" must be a non-negative number of ms \(got -5\)/);
  });
});
