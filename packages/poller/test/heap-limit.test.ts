import type { JsonValue } from '@belfry/plugin-api';
import { ManualClock } from '@belfry/scheduler-core';
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryCursorStore, PollerRuntime, type PollerPluginConfig } from '../src/index.js';
import { LANGUAGES, plugin, recordingLogger, waitFor } from './support/harness.js';

const START = 1_800_000_000_000;
const NODE = LANGUAGES[0];
const PYTHON = LANGUAGES[1];
/** Small enough that the `hog` tick passes it within a fraction of a second. */
const SMALL_HEAP_MB = 32;
/** What a bounded `hog` tick holds: above the small limit, well below the large one. */
const HOARD_MB = 64;
const LARGE_HEAP_MB = 256;

describe('maxOldSpaceSizeMb: a Node poller that passes its heap limit', () => {
  let runtime: PollerRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  function make(plugins: PollerPluginConfig[]) {
    const clock = new ManualClock(START);
    const logger = recordingLogger();
    runtime = new PollerRuntime({ plugins, cursors: new MemoryCursorStore(), clock, logger });
    return { runtime, clock, logger };
  }
  const tick = (job: string, kind: string, config: { [key: string]: JsonValue }, extra: { maxOldSpaceSizeMb?: number } = {}) => ({ job, kind, scheduledAt: START, config, ...extra });

  test('long_lived: the tick fails saying it ran out of memory, other pollers go on, and the process is restarted with backoff', async () => {
    const { runtime, clock, logger } = make([
      plugin('hungry', NODE, { kinds: ['feed'] }, { env: { KINDS: 'feed' }, maxOldSpaceSizeMb: SMALL_HEAP_MB }),
      plugin('python', PYTHON, { kinds: ['other'] }, { env: { KINDS: 'other' } }),
    ]);
    await runtime.start();
    const first = runtime.pidOf('hungry');
    const died = await runtime.runTick(tick('news', 'feed', { mode: 'hog' }));
    expect(died).toMatchObject({ outcome: 'error', error: { code: 'poller_exited' } });
    expect(died.error?.message).toMatch(new RegExp(`^poller hungry \\(pid ${first}\\) ran out of memory: it passed its heap limit \\(--max-old-space-size=${SMALL_HEAP_MB} MiB\\) and was stopped by Node`));
    // The host and the other plugin's process are untouched.
    expect(await runtime.runTick(tick('weather', 'other', { mode: 'ok' }))).toMatchObject({ outcome: 'ok' });

    await waitFor(() => logger.text().includes('hungry: restarting in 1000 ms'), 'the first restart to be scheduled');
    expect(logger.text()).toContain('ran out of memory: it passed its heap limit (--max-old-space-size=32 MiB) and was stopped by Node (exit code 134); its in-flight ticks failed');
    const again = runtime.runTick(tick('news', 'feed', { mode: 'hog' }));
    await clock.advance(1000);
    expect((await again).error?.message).toContain('ran out of memory');
    await waitFor(() => logger.text().includes('hungry: restarting in 2000 ms'), 'the second restart to wait twice as long');
    const recovered = runtime.runTick(tick('news', 'feed', { mode: 'ok' }));
    await clock.advance(1999);
    expect(runtime.pidOf('hungry')).toBeNull();
    await clock.advance(1);
    expect(await recovered).toMatchObject({ outcome: 'ok' });
    expect(runtime.pidOf('hungry')).not.toBe(first);
  });

  test('ephemeral: the plugin limit stops a tick that passes it, and a job may set its own limit for its process', async () => {
    const { runtime } = make([plugin('once', NODE, { kinds: ['feed'], lifecycle: 'ephemeral' }, { env: { KINDS: 'feed' }, maxOldSpaceSizeMb: SMALL_HEAP_MB })]);
    const limited = await runtime.runTick(tick('small', 'feed', { mode: 'hog', mb: HOARD_MB }));
    expect(limited).toMatchObject({ outcome: 'error', error: { code: 'poller_exited' } });
    expect(limited.error?.message).toContain(`ran out of memory: it passed its heap limit (--max-old-space-size=${SMALL_HEAP_MB} MiB)`);

    const roomy = await runtime.runTick(tick('large', 'feed', { mode: 'hog', mb: HOARD_MB }, { maxOldSpaceSizeMb: LARGE_HEAP_MB }));
    expect(roomy).toMatchObject({ outcome: 'ok' });
    expect(roomy.metrics?.heapMb).toBeGreaterThanOrEqual(HOARD_MB);

    // A job's limit may also be lower than the plugin's.
    const tight = await runtime.runTick(tick('tight', 'feed', { mode: 'hog', mb: HOARD_MB }, { maxOldSpaceSizeMb: 16 }));
    expect(tight.error?.message).toContain('(--max-old-space-size=16 MiB)');
    expect(await runtime.runTick(tick('small', 'feed', { mode: 'ok' }))).toMatchObject({ outcome: 'ok' });
  });

  test('without a limit, an exit is reported as an exit, not as running out of memory', async () => {
    const { runtime } = make([plugin('plain', NODE, { kinds: ['feed'] }, { env: { KINDS: 'feed' } })]);
    const crashed = await runtime.runTick(tick('news', 'feed', { mode: 'crash' }));
    expect(crashed.error?.message).toMatch(/^poller plain \(pid \d+\) exited \(exit code 3\)$/);
  });
});
