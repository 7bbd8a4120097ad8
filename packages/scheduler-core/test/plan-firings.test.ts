import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/plan-occurrences.js';
import { planFirings } from '../src/plan-firings.js';
import { spreadCatchups } from '../src/spread-catchups.js';
import { lastAttemptAt } from '../src/last-attempt-at.js';
import { parseSchedule } from '../src/index.js';
import { jitterFor } from '../src/jitter-for.js';
import { entryFixture, firingFixture } from './entry-fixture.js';
import { T0 } from './support.js';

const M = 60_000;
const plan = (fields: Partial<Plan>): Plan => ({ nextTick: null, newest: null, onTime: null, catchups: [], skipped: null, dropped: null, ...fields });
const summary = (firings: { scheduledAt: number; fireAt: number; origin: { kind: string }; waits: boolean }[]) =>
  firings.map((f) => [f.origin.kind, f.scheduledAt - T0, f.fireAt - T0, f.waits]);

describe('planFirings', () => {
  const now = T0 + 10 * M;
  // [case, plan, jitterMs, catch-ups [origin, scheduledAt, fireAt, waits] (relative to T0), on-time firing or null]
  const cases: [string, Plan, number, unknown[], unknown][] = [
    ['nothing due', plan({}), 0, [], null],
    ['an on-time firing due now', plan({ newest: now, onTime: now }), 0, [], ['scheduled', 10 * M, 10 * M, false]],
    ['a late on-time firing starts now, not in the past', plan({ newest: now - 30_000, onTime: now - 30_000 }), 0, [], ['scheduled', 10 * M - 30_000, 10 * M, false]],
    ['a catch-up alone', plan({ newest: T0 + 2 * M, catchups: [T0 + 2 * M] }), 0, [['catchup', 2 * M, 10 * M, true]], null],
    [
      'catch-ups then the on-time run, which waits behind them',
      plan({ newest: now, onTime: now, catchups: [T0 + 8 * M, T0 + 9 * M] }),
      0,
      [['catchup', 8 * M, 10 * M, true], ['catchup', 9 * M, 10 * M, true], ['scheduled', 10 * M, 10 * M, true]],
      null,
    ],
    ['skipped occurrences make no firing', plan({ newest: T0 + 9 * M, skipped: { latest: T0 + 9 * M, count: 3 } }), 0, [], null],
  ];
  for (const [name, input, jitterMs, catchups, onTime] of cases) {
    it(name, () => {
      const entry = entryFixture('p', { jitterMs });
      const planned = planFirings(entry, input, now, 7);
      expect(summary(planned.catchups)).toEqual(catchups);
      expect(planned.onTime === null ? null : summary([planned.onTime])[0]).toEqual(onTime);
      for (const firing of [...planned.catchups, ...(planned.onTime ? [planned.onTime] : [])]) expect(firing).toMatchObject({ type: 'run', entry, epoch: 7 });
    });
  }

  it('delays an on-time firing by its occurrence’s jitter', () => {
    const entry = entryFixture('p', { jitterMs: 20_000 });
    const { onTime } = planFirings(entry, plan({ newest: now, onTime: now }), now, 0);
    expect(onTime?.fireAt).toBe(now + jitterFor('p', 's', now, 20_000));
    expect(onTime?.fireAt).toBeGreaterThan(now);
  });
});

describe('spreadCatchups', () => {
  const now = T0;
  const urgent = entryFixture('urgent', {}, { priority: 1, order: 2 });
  const late = entryFixture('late', {}, { priority: 5000, order: 0 });
  const normal = entryFixture('normal', {}, { priority: 1000, order: 1 });

  it('orders by priority, then registration, then occurrence, and spreads them evenly over the window', () => {
    const firings = [firingFixture(late, T0 - M, 'catchup'), firingFixture(normal, T0 - 2 * M, 'catchup'), firingFixture(normal, T0 - 3 * M, 'catchup'), firingFixture(urgent, T0 - M, 'catchup')];
    const spread = spreadCatchups(firings, now, 10_000);
    expect(spread.map((f) => [f.entry.pluginName, f.scheduledAt - T0, f.fireAt - T0])).toEqual([
      ['urgent', -M, 0],
      ['normal', -3 * M, 2_500],
      ['normal', -2 * M, 5_000],
      ['late', -M, 7_500],
    ]);
  });

  it('starts everything now with a zero window', () => {
    const spread = spreadCatchups([firingFixture(late, T0 - M, 'catchup'), firingFixture(urgent, T0 - M, 'catchup')], now, 0);
    expect(spread.map((f) => f.fireAt)).toEqual([now, now]);
  });

  it('never lets a schedule’s later catch-up start before its earlier one, whatever their jitter', () => {
    const jittery = entryFixture('j', { jitterMs: 60_000 });
    const firings = Array.from({ length: 20 }, (_, i) => firingFixture(jittery, T0 - (20 - i) * M, 'catchup'));
    const spread = spreadCatchups(firings, now, 1_000);
    const starts = spread.map((f) => f.fireAt);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(spread.map((f) => f.scheduledAt)).toEqual(firings.map((f) => f.scheduledAt));
  });
});

describe('lastAttemptAt', () => {
  const base = { jitterMs: 0, graceMs: 60_000, maxCatchupRuns: 3, catchupSpreadMs: 10_000 };
  // [policy, expression, jitterMs, last attempt relative to the occurrence]
  const cases: [string, string, number, number][] = [
    ['run_once', '1m', 0, M + 60_000 + 10_000],
    ['skip', '1m', 0, M + 60_000 + 10_000],
    ['run_once', '1h', 5_000, 60 * M + 60_000 + 10_000 + 5_000],
    // run_all may still pick it as a catch-up until maxCatchupRuns newer occurrences have passed.
    ['run_all', '1m', 0, 3 * M + 60_000 + 10_000],
  ];
  for (const [policy, expression, jitterMs, expected] of cases) {
    it(`${policy} ${expression} with ${jitterMs} ms of jitter`, () => {
      const input = { ...base, jitterMs, policy: policy as 'run_once', parsed: parseSchedule(expression) };
      expect(lastAttemptAt(input, T0) - T0).toBe(expected);
    });
  }

  it('stops at the last occurrence of a schedule that ends', () => {
    const parsed = parseSchedule('0 0 29 2 *');
    const leapDay = Date.parse('2028-02-29T00:00:00Z');
    const input = { ...base, policy: 'run_all' as const, parsed: { ...parsed, next: (after: number) => (after < leapDay ? leapDay : null) } };
    expect(lastAttemptAt(input, T0)).toBe(leapDay + 60_000 + 10_000);
  });
});
