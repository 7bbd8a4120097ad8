import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@belfry/scheduler-core';
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryCursorStore, PollerRuntime, type PollerPluginConfig } from '../src/index.js';
import { FIXTURES, LANGUAGES, pidAlive, plugin, rawPlugin, recordingLogger, waitFor } from './support/harness.js';

const START = 1_800_000_000_000;
const NODE = LANGUAGES[0];

describe('faults cost at most their own ticks', () => {
  let runtime: PollerRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  function make(plugins: PollerPluginConfig[]) {
    const clock = new ManualClock(START);
    const logger = recordingLogger();
    const cursors = new MemoryCursorStore();
    runtime = new PollerRuntime({ plugins, cursors, clock, logger });
    return { runtime, clock, logger, cursors };
  }
  const tick = (job: string, mode: string, kind = 'feed') => ({ job, kind, scheduledAt: START, config: { mode } });

  test('a poller that crashes mid-tick fails that tick; it is restarted after 1 s and serves the next one', async () => {
    const { runtime, clock, logger } = make([plugin('feeds', NODE)]);
    await runtime.start();
    const before = runtime.pidOf('feeds');
    const crashed = await runtime.runTick(tick('news', 'crash'));
    expect(crashed).toMatchObject({ outcome: 'error', error: { code: 'poller_exited' } });
    expect(crashed.error?.message).toContain('exit code 3');
    await waitFor(() => logger.text().includes('feeds: restarting in 1000 ms'), 'the restart to be scheduled');
    const next = runtime.runTick(tick('news', 'ok'));
    await clock.advance(999);
    expect(runtime.pidOf('feeds')).toBeNull();
    await clock.advance(1);
    expect(await next).toMatchObject({ outcome: 'ok' });
    expect(runtime.pidOf('feeds')).not.toBe(before);
  });

  test('a poller that hangs times out its tick, and after a further tick timeout of silence it is killed and restarted', async () => {
    const { runtime, clock, logger } = make([plugin('feeds', NODE, { tickTimeoutSecs: 10 })]);
    await runtime.start();
    const hung = runtime.pidOf('feeds')!;
    const pending = runtime.runTick(tick('news', 'hang'));
    await waitFor(() => logger.text().includes('tick news mode hang'), 'the tick to arrive');
    await clock.advance(10_000);
    expect(await pending).toMatchObject({ outcome: 'timeout' });
    expect(pidAlive(hung)).toBe(true);
    await clock.advance(10_000);
    await waitFor(() => !pidAlive(hung), 'the hung process to be killed');
    expect(logger.text()).toContain('sent nothing for 10000 ms after a cancel; killing it as hung');
    await waitFor(() => logger.text().includes('feeds: restarting in 1000 ms'), 'the restart to be scheduled');
    const next = runtime.runTick(tick('news', 'ok'));
    await clock.advance(1000);
    expect(await next).toMatchObject({ outcome: 'ok' });
  });

  test('a poller that answers a cancelled tick late is not killed', async () => {
    const { runtime, clock, logger } = make([plugin('feeds', NODE, { tickTimeoutSecs: 10 })]);
    await runtime.start();
    const pid = runtime.pidOf('feeds');
    const pending = runtime.runTick(tick('news', 'slow'));
    await waitFor(() => logger.text().includes('tick news mode slow'), 'the tick to arrive');
    await clock.advance(10_000);
    expect(await pending).toMatchObject({ outcome: 'timeout' });
    await waitFor(() => logger.text().includes('cancelled news'), 'the cancel to arrive');
    // Its error reply to the cancelled tick is a sign of life.
    await waitFor(() => logger.text().includes('reply to request 2, which is no longer awaited'), 'the late reply to arrive');
    await clock.advance(10_000);
    expect(logger.text()).not.toContain('killing it as hung');
    expect(runtime.pidOf('feeds')).toBe(pid);
  });

  test('a flood of junk and an over-long line on stdout are logged boundedly and the tick still succeeds', async () => {
    const { runtime, logger } = make([rawPlugin('flood', 'flood')]);
    const result = await runtime.runTick(tick('news', 'flood'));
    expect(result).toMatchObject({ outcome: 'ok' });
    const protocolLines = logger.lines.filter((line) => line.message.includes('protocol error'));
    // 20 one by one, a notice, then one per 1000: 5000 junk lines make 26 log lines, not 5000.
    expect(protocolLines.length).toBeLessThanOrEqual(26);
    expect(logger.text()).toContain('protocol errors; from now on only every 1000th is logged');
    expect(logger.text()).toContain('5000 protocol errors so far');
    expect(protocolLines.every((line) => line.message.startsWith('poller flood (pid '))).toBe(true);
  });

  test('a flood of stderr is logged at most 200 lines per 10 s, with a count of what was dropped', async () => {
    const { runtime, clock, logger } = make([rawPlugin('chatty', 'chatty')]);
    expect((await runtime.runTick(tick('news', 'chatty'))).outcome).toBe('ok');
    await waitFor(() => logger.text().includes('dropping the rest of this window'), 'the stderr limit to be reached');
    // The 201st line tripped the limit: 'started' and 199 chatter lines were logged, and no more will be.
    expect(logger.lines.filter((line) => line.message.startsWith('[chatty] chatter')).length).toBe(199);
    await clock.advance(10_000);
    expect((await runtime.runTick(tick('news', 'chatty'))).outcome).toBe('ok');
    const summary = /\[chatty\] (\d+) stderr lines were dropped in the previous 10 s/;
    await waitFor(() => summary.test(logger.text()), 'the count of dropped lines');
    // 1002 lines in the first window, 200 logged; a few may still have been in the pipe when the clock moved.
    expect(Number(summary.exec(logger.text())![1])).toBeGreaterThan(700);
    expect(Number(summary.exec(logger.text())![1])).toBeLessThanOrEqual(802);
  });

  test('a logger that throws cannot break the runtime', async () => {
    const clock = new ManualClock(START);
    const explode = () => {
      throw new Error('log sink down');
    };
    runtime = new PollerRuntime({ plugins: [plugin('feeds', NODE)], cursors: new MemoryCursorStore(), clock, logger: { info: explode, warn: explode, error: explode } });
    expect((await runtime.runTick(tick('news', 'ok'))).outcome).toBe('ok');
    expect((await runtime.runTick(tick('news', 'error'))).outcome).toBe('error');
  });

  test('an unparseable reply is a protocol error: the tick times out, the next one works', async () => {
    const { runtime, clock, logger } = make([rawPlugin('junk', 'junk-reply', { tickTimeoutSecs: 3 })]);
    await runtime.start();
    const pending = runtime.runTick(tick('news', 'junk'));
    await waitFor(() => logger.text().includes('protocol error on stdout: not JSON'), 'the junk reply');
    await clock.advance(3000);
    expect(await pending).toMatchObject({ outcome: 'timeout' });
  });

  test('a reply with a metric that is not finite (1e999) fails the tick with a clear error', async () => {
    const { runtime, cursors } = make([rawPlugin('inf', 'bad-reply')]);
    const result = await runtime.runTick(tick('news', 'inf'));
    expect(result).toMatchObject({ outcome: 'error', error: { code: 'poller_protocol' } });
    expect(result.error?.message).toContain('metrics.items must be a finite number, got Infinity');
    expect(await cursors.load('news')).toBeNull();
  });

  test('a reply that is both a result and an error fails its own tick at once', async () => {
    const { runtime } = make([rawPlugin('mixed', 'mixed-reply')]);
    const result = await runtime.runTick(tick('news', 'mixed'));
    expect(result).toMatchObject({ outcome: 'error', error: { code: 'poller_protocol' } });
    expect(result.error?.message).toContain('exactly one of "result" and "error"');
  });

  test('servePoller refuses NaN metrics and a bigint cursor from a handler: the tick fails, the process lives', async () => {
    const { runtime } = make([plugin('feeds', NODE)]);
    const nan = await runtime.runTick(tick('news', 'nan'));
    expect(nan).toMatchObject({ outcome: 'error', error: { code: 'poller_tick_failed' } });
    expect(nan.error?.message).toContain('metrics.items must be a finite number, got NaN');
    const bigint = await runtime.runTick(tick('news', 'bigint'));
    expect(bigint.error?.message).toContain('cursor.n is 1n (bigint), which is not JSON');
    expect((await runtime.runTick(tick('news', 'ok'))).outcome).toBe('ok');
  });

  test('a poller that never answers initialize costs its own ticks only; other plugins keep working', async () => {
    const { runtime, clock, logger } = make([rawPlugin('mute', 'no-init', { tickTimeoutSecs: 5 }), plugin('feeds', NODE, { kinds: ['other'] }, { env: { KINDS: 'other' } })]);
    const muted = runtime.runTick(tick('quiet', 'mute'));
    expect(await runtime.runTick(tick('news', 'ok', 'other'))).toMatchObject({ outcome: 'ok' });
    await waitFor(() => logger.text().includes('[mute] started'), 'the mute poller to start');
    await clock.advance(5000);
    expect(await muted).toMatchObject({ outcome: 'timeout' });
    await waitFor(() => logger.text().includes('did not answer initialize within 5000 ms'), 'the initialize timeout to be logged');
  });

  test.each(['long_lived', 'ephemeral'] as const)('%s: stop reaches a process still waiting to be initialized', async (lifecycle) => {
    const { runtime, logger } = make([rawPlugin('mute', 'no-init', { lifecycle })]);
    const pending = runtime.runTick(tick('quiet', 'mute'));
    await waitFor(() => logger.text().includes('[mute] started'), 'the mute poller to start');
    const pid = Number(/\[mute\] started (\d+)/.exec(logger.text())![1]);
    // The manual clock never moves: neither the initialize timeout nor a kill grace period can end it.
    await runtime.stop();
    // Its group was SIGKILLed and the watchdog has exited; the kernel may need a moment to finish the poller.
    await waitFor(() => !pidAlive(pid), 'the poller to die');
    expect((await pending).outcome).toBe('error');
  });

  test('a process serving other kinds than its manifest declares is refused', async () => {
    const { runtime } = make([rawPlugin('liar', 'wrong-kinds')]);
    const result = await runtime.runTick(tick('news', 'liar'));
    expect(result).toMatchObject({ outcome: 'error', error: { code: 'poller_start_failed' } });
    expect(result.error?.message).toContain('serves kinds [extra, feed] but its manifest declares [feed]');
  });

  test('a missing entry fails the tick with a message naming the file', async () => {
    const { runtime } = make([plugin('ghost', { folder: join(FIXTURES, 'node-poller'), entry: 'missing.mjs' }, { kinds: ['feed'] })]);
    const result = await runtime.runTick(tick('news', 'ok'));
    expect(result).toMatchObject({ outcome: 'error', error: { code: 'poller_start_failed' } });
    expect(result.error?.message).toContain(join(FIXTURES, 'node-poller', 'missing.mjs'));
  });

  test('a non-executable entry that is not JavaScript fails with the chmod fix', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'belfry-poller-'));
    try {
      writeFileSync(join(folder, 'poller.sh'), '#!/bin/sh\n', { mode: 0o644 });
      const { runtime } = make([plugin('shell', { folder, entry: 'poller.sh' }, { kinds: ['feed'] })]);
      const result = await runtime.runTick(tick('news', 'ok'));
      expect(result).toMatchObject({ outcome: 'error', error: { code: 'poller_start_failed' } });
      expect(result.error?.message).toContain(`entry ${join(folder, 'poller.sh')} is not executable; run chmod +x on it`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a tick that times out waiting for a restart says why the process was not there', async () => {
    const { runtime, clock, logger } = make([rawPlugin('flaky', 'exit-at-start', { tickTimeoutSecs: 1 })]);
    await runtime.start();
    await waitFor(() => logger.text().includes('flaky: restarting in 1000 ms'), 'the restart to be scheduled');
    const pending = runtime.runTick(tick('news', 'flaky'));
    await clock.advance(1000);
    const result = await pending;
    expect(result).toMatchObject({ outcome: 'timeout', error: { code: 'poller_timeout' } });
    expect(result.error?.message).toMatch(/the poller process was not running by the deadline \(last failure: .*exit code 2.*\); the tick was not sent/);
  });

  test('restarts back off 1 s, 2 s, 4 s while the process keeps exiting at start', async () => {
    const { runtime, clock, logger } = make([rawPlugin('flaky', 'exit-at-start')]);
    const starts = () => logger.lines.filter((line) => line.message.startsWith('[flaky] started')).length;
    await runtime.start();
    for (const [attempt, delay] of [[1, 1000], [2, 2000], [3, 4000]] as const) {
      await waitFor(() => logger.text().includes(`flaky: restarting in ${delay} ms`), `restart ${attempt} to be scheduled`);
      expect(starts()).toBe(attempt);
      await clock.advance(delay - 1);
      expect(starts()).toBe(attempt);
      await clock.advance(1);
      await waitFor(() => starts() === attempt + 1, `start ${attempt + 1}`);
    }
  });

  test('with max_concurrent_ticks = 1, a tick still queued at its deadline times out without being sent', async () => {
    const { runtime, clock, logger } = make([plugin('feeds', NODE, { tickTimeoutSecs: 5 })]);
    await runtime.start();
    const first = runtime.runTick(tick('first', 'slow'));
    const queued = runtime.runTick(tick('queued', 'ok'));
    const otherKind = await runtime.runTick(tick('third', 'ok', 'other'));
    expect(otherKind.outcome).toBe('ok');
    await waitFor(() => logger.text().includes('tick first mode slow'), 'the first tick to arrive');
    await clock.advance(5000);
    expect(await first).toMatchObject({ outcome: 'timeout' });
    expect(await queued).toMatchObject({ outcome: 'timeout' });
    expect(logger.text()).not.toContain('tick queued');
  });

  test('a caller abort cancels the tick: outcome cancelled and the poller receives $/cancel', async () => {
    const { runtime, logger } = make([plugin('feeds', NODE)]);
    const controller = new AbortController();
    const pending = runtime.runTick({ ...tick('news', 'slow'), signal: controller.signal });
    await waitFor(() => logger.text().includes('tick news mode slow'), 'the tick to arrive');
    controller.abort();
    expect(await pending).toMatchObject({ outcome: 'cancelled', error: { code: 'poller_cancelled' } });
    await waitFor(() => logger.text().includes('cancelled news'), 'the poller to see the cancel');
  });

  test('ephemeral: at the deadline the process is SIGKILLed at once', async () => {
    const { runtime, clock, logger } = make([plugin('feeds', NODE, { lifecycle: 'ephemeral', tickTimeoutSecs: 5 })]);
    const pending = runtime.runTick(tick('news', 'slow'));
    await waitFor(() => logger.text().includes('tick news mode slow'), 'the tick to arrive');
    const pid = Number(/mode slow pid (\d+)/.exec(logger.text())?.[1]);
    expect(pidAlive(pid)).toBe(true);
    await clock.advance(5000);
    expect(await pending).toMatchObject({ outcome: 'timeout' });
    // No further clock time passes: only an immediate SIGKILL can end it.
    await waitFor(() => !pidAlive(pid), 'the ephemeral process to be killed at the deadline');
    expect(logger.text()).not.toContain('cancelled news');
  });

  test('ephemeral: a process that ignores SIGTERM after its reply is SIGKILLed 2 s later', async () => {
    const { runtime, clock, logger } = make([rawPlugin('stubborn', 'ignore-term', { lifecycle: 'ephemeral' })]);
    const result = await runtime.runTick(tick('news', 'stubborn'));
    expect(result.outcome).toBe('ok');
    const pid = result.metrics?.['pid'] as number;
    await waitFor(() => logger.text().includes('ignoring SIGTERM'), 'SIGTERM to arrive');
    expect(pidAlive(pid)).toBe(true);
    await clock.advance(2000);
    await waitFor(() => !pidAlive(pid), 'SIGKILL after the grace period');
  });
});
