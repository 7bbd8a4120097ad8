import { describe, expect, it } from 'vitest';
import { checkHistoryQuery, compareControlTargets, compareRunsNewestFirst, controlTargetKey, encodeHistoryCursor } from '../src/index.js';

describe('history paging helpers', () => {
  it('round-trips a page position through the opaque cursor', () => {
    const before = encodeHistoryCursor({ startedAt: 1_780_000_000_123, id: 'run:a/b~1' });
    expect(checkHistoryQuery({ limit: 5, before }, 'here').before).toEqual({ startedAt: 1_780_000_000_123, id: 'run:a/b~1' });
  });

  it('refuses a cursor it did not make, naming the caller', () => {
    for (const before of ['h1:abc:x', 'h1:12', 'x'.repeat(10), 'h1:1:has space']) {
      expect(() => checkHistoryQuery({ limit: 5, before }, 'Store.query')).toThrow(/^Store.query: query.before must be the "next" of a previous page/);
    }
  });

  it('orders runs newest first, then by id descending', () => {
    const runs = [
      { startedAt: 1, id: 'b' },
      { startedAt: 2, id: 'a' },
      { startedAt: 1, id: 'c' },
      { startedAt: 1, id: 'B' },
    ];
    expect(runs.sort(compareRunsNewestFirst)).toEqual([
      { startedAt: 2, id: 'a' },
      { startedAt: 1, id: 'c' },
      { startedAt: 1, id: 'b' },
      { startedAt: 1, id: 'B' },
    ]);
  });
});

describe('control target helpers', () => {
  it('gives each target its own key, even when names contain separators', () => {
    const keys = [
      controlTargetKey({ kind: 'schedule', plugin: 'a:b', scheduleId: 'c' }),
      controlTargetKey({ kind: 'schedule', plugin: 'a', scheduleId: 'b:c' }),
      controlTargetKey({ kind: 'poller_job', jobId: 'a' }),
    ];
    expect(new Set(keys).size).toBe(3);
  });

  it('sorts poller jobs before schedules, then by name', () => {
    const targets = [
      { kind: 'schedule', plugin: 'b', scheduleId: 'a' },
      { kind: 'poller_job', jobId: 'z' },
      { kind: 'schedule', plugin: 'a', scheduleId: 'z' },
    ] as const;
    expect([...targets].sort(compareControlTargets)).toEqual([targets[1], targets[2], targets[0]]);
  });
});
