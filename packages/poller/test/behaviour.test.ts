import { ManualClock } from '@belfry/scheduler-core';
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryCursorStore, PollerRuntime, type PollerPluginConfig } from '../src/index.js';
import { LANGUAGES, pidAlive, plugin, recordingLogger, waitFor } from './support/harness.js';

const START = 1_800_000_000_000;

describe.each(LANGUAGES)('a poller in $language', (at) => {
  let runtime: PollerRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  function make(overrides: Partial<PollerPluginConfig['poller']> = {}, extra: Partial<PollerPluginConfig> = {}) {
    const clock = new ManualClock(START);
    const logger = recordingLogger();
    const cursors = new MemoryCursorStore();
    runtime = new PollerRuntime({ plugins: [plugin('feeds', at, overrides, extra)], cursors, clock, logger });
    return { runtime, clock, logger, cursors };
  }

  test('answers initialize and serves ticks: the cursor is saved with the run fence and handed to the next tick', async () => {
    const { runtime, cursors } = make();
    await runtime.start();
    const first = await runtime.runTick({ job: 'news', kind: 'feed', scheduledAt: START - 5, fence: 7, config: { mode: 'ok' } });
    expect(first).toMatchObject({ outcome: 'ok', metrics: { items: 2, fence: 7, deadline: START + 60_000, catchup: 0, scheduledAt: START - 5 } });
    expect(await cursors.load('news')).toEqual({ cursor: { count: 1 }, fence: 7 });
    const second = await runtime.runTick({ job: 'news', kind: 'other', scheduledAt: START, isCatchup: true, fence: 8, config: { mode: 'ok' } });
    expect(second).toMatchObject({ outcome: 'ok', metrics: { catchup: 1, fence: 8, pid: first.metrics?.['pid'] } });
    expect(await cursors.load('news')).toEqual({ cursor: { count: 2 }, fence: 8 });
  });

  test('a tick the handler fails ends as error with its message and leaves the cursor unchanged', async () => {
    const { runtime, cursors } = make();
    await cursors.save('news', { count: 41 }, 3);
    const result = await runtime.runTick({ job: 'news', kind: 'feed', scheduledAt: START, fence: 4, config: { mode: 'error' } });
    expect(result.outcome).toBe('error');
    expect(result.error).toMatchObject({ code: 'poller_tick_failed' });
    expect(result.error?.message).toContain('the feed answered 503');
    expect(await cursors.load('news')).toEqual({ cursor: { count: 41 }, fence: 3 });
  });

  test('at the deadline the tick times out and the poller receives $/cancel', async () => {
    const { runtime, clock, logger, cursors } = make({ tickTimeoutSecs: 5 });
    const pending = runtime.runTick({ job: 'slowpoke', kind: 'feed', scheduledAt: START, config: { mode: 'slow' } });
    await waitFor(() => logger.text().includes('tick slowpoke mode slow'), 'the poller to receive the tick');
    await clock.advance(5000);
    const result = await pending;
    expect(result).toMatchObject({ outcome: 'timeout', error: { code: 'poller_timeout' }, durationMs: 5000 });
    await waitFor(() => logger.text().includes('[feeds] cancelled slowpoke'), 'the poller to log that it saw the cancel');
    expect(await cursors.load('slowpoke')).toBeNull();
    // The process lives on and serves the next tick.
    expect((await runtime.runTick({ job: 'slowpoke', kind: 'feed', scheduledAt: START, config: { mode: 'ok' } })).outcome).toBe('ok');
  });

  test('stop sends shutdown and the process leaves on its own, before any kill is due', async () => {
    const { runtime } = make();
    await runtime.start();
    const watchdog = runtime.pidOf('feeds');
    const tick = await runtime.runTick({ job: 'news', kind: 'feed', scheduledAt: START, config: { mode: 'ok' } });
    const poller = tick.metrics?.['pid'] as number;
    expect(watchdog).toBeTypeOf('number');
    // The manual clock never moves here, so the 2 s SIGKILL cannot be what ended it.
    await runtime.stop();
    await waitFor(() => !pidAlive(poller) && !pidAlive(watchdog!), 'the poller to exit after shutdown');
  });

  test('the environment is minimal: the host secrets are not visible, granted variables and the plugin folder are', async () => {
    process.env['DATABASE_URL'] = 'postgres://user:s3cret-PW@db/prod';
    process.env['REDIS_URL'] = 'redis://:s3cret-PW@cache:6379';
    try {
      const { runtime, cursors } = make({}, { env: { FEED_TOKEN: 'granted' } });
      expect((await runtime.runTick({ job: 'env', kind: 'feed', scheduledAt: START, config: { mode: 'env' } })).outcome).toBe('ok');
      const seen = (await cursors.load('env'))!.cursor as { names: string[]; granted: string; cwd: string };
      expect(seen.names).not.toContain('DATABASE_URL');
      expect(seen.names).not.toContain('REDIS_URL');
      expect(seen.names).toContain('PATH');
      // Node adds nothing of its own; an interpreter launcher (a pyenv shim, say) may add its own variables.
      if (at.entry.endsWith('.mjs')) expect(seen.names.filter((name) => !['PATH', 'HOME', 'LANG', 'TZ', 'FEED_TOKEN'].includes(name))).toEqual([]);
      expect(seen.granted).toBe('granted');
      expect(seen.cwd).toBe(at.folder);
    } finally {
      delete process.env['DATABASE_URL'];
      delete process.env['REDIS_URL'];
    }
  });

  test('ephemeral: every tick gets a fresh process, which is gone after its reply', async () => {
    const { runtime } = make({ lifecycle: 'ephemeral' });
    const first = await runtime.runTick({ job: 'news', kind: 'feed', scheduledAt: START, config: { mode: 'ok' } });
    const second = await runtime.runTick({ job: 'news', kind: 'feed', scheduledAt: START, config: { mode: 'ok' } });
    expect([first.outcome, second.outcome]).toEqual(['ok', 'ok']);
    expect(second.metrics?.['pid']).not.toBe(first.metrics?.['pid']);
    const pids = [first.metrics?.['pid'], second.metrics?.['pid']] as number[];
    await waitFor(() => pids.every((pid) => !pidAlive(pid)), 'both ephemeral processes to exit after SIGTERM');
  });
});
