import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, Scheduler, type SchedulerOptions } from '../src/index.js';
import { recordingPlugin, T0 } from './support.js';

/** Runs a scheduler whose one schedule is paused, so each firing logs a debug skip, and one failing run. */
async function consoleLines(options: SchedulerOptions): Promise<Record<'debug' | 'info' | 'warn' | 'error', string[]>> {
  const lines = { debug: [] as string[], info: [] as string[], warn: [] as string[], error: [] as string[] };
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((message: unknown) => void lines[level].push(String(message)));
  }
  const clock = new ManualClock(T0);
  const scheduler = new Scheduler({ clock, nodeId: 'n', ...options });
  await scheduler.register(recordingPlugin('p', [{ id: 'quiet', cron: '1m', locking: 'node_local' }, { id: 'fails', cron: '@hourly' }], (ctx) => {
    if (ctx.scheduleId === 'fails') throw new Error('boom');
  }));
  scheduler.pause('p', 'quiet');
  await scheduler.start();
  await clock.advance(60 * 60_000);
  await scheduler.stop();
  return lines;
}

describe('Scheduler default logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('prints info and above but not debug lines by default', async () => {
    vi.stubEnv('BELFRY_LOG_LEVEL', '');
    const lines = await consoleLines({});
    expect(lines.debug).toEqual([]);
    expect(lines.warn.length).toBeGreaterThan(0);
    expect(lines.error).toContain('Scheduled run failed');
  });

  it('prints debug lines when logLevel is debug', async () => {
    const lines = await consoleLines({ logLevel: 'debug' });
    expect(lines.debug).toHaveLength(60);
    expect(lines.debug[0]).toBe('Firing skipped');
  });

  it('prints debug lines when BELFRY_LOG_LEVEL is debug and no logLevel is given', async () => {
    vi.stubEnv('BELFRY_LOG_LEVEL', 'debug');
    expect((await consoleLines({})).debug).toHaveLength(60);
  });

  it('lets logLevel win over BELFRY_LOG_LEVEL, and silent prints nothing', async () => {
    vi.stubEnv('BELFRY_LOG_LEVEL', 'debug');
    const lines = await consoleLines({ logLevel: 'silent' });
    expect(lines).toEqual({ debug: [], info: [], warn: [], error: [] });
  });

  it('prints only errors at logLevel error', async () => {
    const lines = await consoleLines({ logLevel: 'error' });
    expect(lines.warn).toEqual([]);
    expect(lines.error).toContain('Scheduled run failed');
  });

  it('rejects an unknown logLevel or BELFRY_LOG_LEVEL with the accepted values', () => {
    expect(() => new Scheduler({ logLevel: 'verbose' as 'debug' })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringMatching(/logLevel.*must be one of debug, info, warn, error, silent \(got "verbose"\)/) }),
    );
    vi.stubEnv('BELFRY_LOG_LEVEL', 'loud');
    expect(() => new Scheduler({})).toThrow(/BELFRY_LOG_LEVEL must be one of debug, info, warn, error, silent \(got "loud"\)/);
  });

  it('leaves filtering to a logger that is passed in', async () => {
    const seen: string[] = [];
    const logger = { debug: (m: string) => void seen.push(m), info: () => undefined, warn: () => undefined, error: () => undefined };
    await consoleLines({ logger });
    expect(seen.filter((m) => m === 'Firing skipped')).toHaveLength(60);
  });
});
