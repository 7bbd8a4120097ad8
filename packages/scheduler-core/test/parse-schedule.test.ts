import { describe, expect, it } from 'vitest';
import { ScheduleParseError } from '@belfry/plugin-api';
import { parseSchedule } from '../src/index.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The first `count` occurrences strictly after `fromIso`. */
function runs(expr: string, fromIso: string, count: number, timezone?: string): (string | null)[] {
  const schedule = parseSchedule(expr, timezone === undefined ? {} : { timezone });
  const out: (string | null)[] = [];
  let cursor: number | null = at(fromIso);
  for (let i = 0; i < count && cursor !== null; i += 1) {
    cursor = schedule.next(cursor);
    out.push(iso(cursor));
  }
  return out;
}

describe('parseSchedule result', () => {
  it('reports the expression, zone and kind it parsed', () => {
    const cron = parseSchedule('0 9 * * MON-FRI', { timezone: 'Europe/Berlin' });
    expect(cron).toMatchObject({ expression: '0 9 * * MON-FRI', timezone: 'Europe/Berlin', kind: 'cron' });
    const interval = parseSchedule('5m');
    expect(interval).toMatchObject({ expression: '5m', timezone: 'UTC', kind: 'interval' });
  });

  it('gives the occurrence strictly after the time asked about', () => {
    const hourly = parseSchedule('@hourly');
    expect(iso(hourly.next(at('2026-05-01T10:00:00Z')))).toBe('2026-05-01T11:00:00.000Z');
    expect(iso(hourly.next(at('2026-05-01T09:59:59.999Z')))).toBe('2026-05-01T10:00:00.000Z');
    const every30s = parseSchedule('30s');
    expect(iso(every30s.next(at('2026-05-01T10:00:30Z')))).toBe('2026-05-01T10:01:00.000Z');
  });

  it('rejects a next() time that is not a finite number', () => {
    const schedule = parseSchedule('5m');
    expect(() => schedule.next(Number.NaN)).toThrow(/finite time/);
    expect(() => parseSchedule('@daily').next(Number.POSITIVE_INFINITY)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('intervals', () => {
  it('fire at whole multiples of the interval since the epoch', () => {
    expect(runs('30s', '2026-05-01T10:00:07.250Z', 3)).toEqual([
      '2026-05-01T10:00:30.000Z',
      '2026-05-01T10:01:00.000Z',
      '2026-05-01T10:01:30.000Z',
    ]);
    expect(runs('500ms', '2026-05-01T10:00:00.100Z', 2)).toEqual(['2026-05-01T10:00:00.500Z', '2026-05-01T10:00:01.000Z']);
    expect(runs('5m', '2026-05-01T10:03:00Z', 1)).toEqual(['2026-05-01T10:05:00.000Z']);
    expect(runs('2h', '2026-05-01T10:03:00Z', 1)).toEqual(['2026-05-01T12:00:00.000Z']);
    expect(runs('1d', '2026-05-01T10:03:00Z', 1)).toEqual(['2026-05-02T00:00:00.000Z']);
  });

  it('adds up compound intervals and aligns them to the epoch too', () => {
    const period = 90 * 60_000;
    const next = parseSchedule('1h30m').next(at('2026-05-01T10:00:00Z'));
    expect(next).not.toBeNull();
    expect((next as number) % period).toBe(0);
    expect((next as number) - at('2026-05-01T10:00:00Z')).toBeLessThanOrEqual(period);
    expect(parseSchedule('1d2h3m4s5ms').next(0)).toBe(86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000 + 5);
  });

  it('ignore time zones and DST: elapsed time only', () => {
    expect(runs('1h', '2026-11-01T04:30:00Z', 4, 'America/New_York')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('give every node the same nominal times whatever time it asks from', () => {
    const schedule = parseSchedule('45s');
    const fromA = schedule.next(at('2026-05-01T10:00:01Z'));
    const fromB = schedule.next(at('2026-05-01T10:00:03.5Z'));
    expect(fromA).toBe(fromB);
  });
});

describe('cron in UTC', () => {
  it('reads 5-field cron with lists, ranges and steps', () => {
    expect(runs('*/20 9-10 * * *', '2026-05-01T08:59:00Z', 7)).toEqual([
      '2026-05-01T09:00:00.000Z',
      '2026-05-01T09:20:00.000Z',
      '2026-05-01T09:40:00.000Z',
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T10:20:00.000Z',
      '2026-05-01T10:40:00.000Z',
      '2026-05-02T09:00:00.000Z',
    ]);
    expect(runs('0 8,12,18 * * *', '2026-05-01T09:00:00Z', 2)).toEqual(['2026-05-01T12:00:00.000Z', '2026-05-01T18:00:00.000Z']);
  });

  it('reads 6-field cron with seconds first', () => {
    expect(runs('*/15 * * * * *', '2026-05-01T10:00:00Z', 3)).toEqual([
      '2026-05-01T10:00:15.000Z',
      '2026-05-01T10:00:30.000Z',
      '2026-05-01T10:00:45.000Z',
    ]);
    expect(runs('30 0 12 * * *', '2026-05-01T00:00:00Z', 1)).toEqual(['2026-05-01T12:00:30.000Z']);
  });

  it('understands month and weekday names', () => {
    // 2026-01-01 is a Thursday.
    expect(runs('0 9 * JAN-FEB MON-FRI', '2026-01-01T10:00:00Z', 2)).toEqual(['2026-01-02T09:00:00.000Z', '2026-01-05T09:00:00.000Z']);
    expect(runs('0 0 1 jun *', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-06-01T00:00:00.000Z']);
    expect(runs('0 0 * * sun', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-04T00:00:00.000Z']);
  });

  it('treats day-of-week 7 as Sunday, like 0', () => {
    expect(runs('0 0 * * 7', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-04T00:00:00.000Z']);
  });

  it('fires on leap days only in leap years', () => {
    expect(runs('0 0 29 2 *', '2026-01-01T00:00:00Z', 2)).toEqual(['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z']);
  });

  it('supports L for the last day of the month, leap years included', () => {
    expect(runs('0 0 L 2 *', '2027-01-01T00:00:00Z', 2)).toEqual(['2027-02-28T00:00:00.000Z', '2028-02-29T00:00:00.000Z']);
    // Last Friday of January 2026 is the 30th.
    expect(runs('0 0 * * 5L', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-30T00:00:00.000Z']);
  });

  it('supports W for the nearest weekday', () => {
    // 2026-08-15 is a Saturday, so 15W is Friday the 14th.
    expect(runs('0 0 15W 8 *', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-08-14T00:00:00.000Z']);
  });

  it('supports # for the nth weekday of the month', () => {
    expect(runs('0 0 * * MON#2', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-12T00:00:00.000Z', '2026-02-09T00:00:00.000Z']);
  });

  it('combines day-of-month and day-of-week with OR, as classic cron does', () => {
    // The 13th (a Tuesday in January 2026) or any Friday.
    expect(runs('0 0 13 * 5', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-02T00:00:00.000Z',
      '2026-01-09T00:00:00.000Z',
      '2026-01-13T00:00:00.000Z',
    ]);
  });

  it('combines them with AND, as Vixie cron does, when either field starts with * even with a step', () => {
    // Days 1, 8, 15, 22, 29 that are Wednesdays: the first is 2026-04-01.
    expect(runs('0 0 */7 * 3', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-04-01T00:00:00.000Z',
      '2026-04-08T00:00:00.000Z',
      '2026-04-15T00:00:00.000Z',
    ]);
    // The 1st when it is a Sunday, Tuesday, Thursday or Saturday: 2026-02-01 is a Sunday.
    expect(runs('0 0 1 * */2', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    // `*,13` starts with *, so AND: every day of the month that is a Friday.
    expect(runs('0 0 *,13 * 5', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-09T00:00:00.000Z']);
    // Seconds first: the same rule on the 6-field form.
    expect(runs('30 0 0 */7 * 3', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-04-01T00:00:30.000Z']);
    // A plain * in either field leaves the other field alone.
    expect(runs('0 0 * * 5', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-02T00:00:00.000Z']);
    expect(runs('0 0 13 * *', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-13T00:00:00.000Z']);
  });

  it('keeps OR for two restricted fields, in lists and ranges too', () => {
    // The 1st or 15th, or any Wednesday: 2026-01-07 and 14 are Wednesdays.
    expect(runs('0 0 1,15 * 3', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-07T00:00:00.000Z',
      '2026-01-14T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
      '2026-01-21T00:00:00.000Z',
    ]);
  });

  it('combines them with AND when day-of-week starts with +', () => {
    // Friday the 13th.
    for (const expr of ['0 0 13 * +FRI', '0 0 13 * +5']) {
      expect(runs(expr, '2026-01-01T00:00:00Z', 3)).toEqual(['2026-02-13T00:00:00.000Z', '2026-03-13T00:00:00.000Z', '2026-11-13T00:00:00.000Z']);
    }
  });

  it('finds occurrences after the year 3000, up to the last date JavaScript can represent', () => {
    expect(runs('* * * * *', '2999-12-31T23:59:00Z', 2)).toEqual(['3000-01-01T00:00:00.000Z', '3000-01-01T00:01:00.000Z']);
    // 3000 is not a leap year.
    expect(runs('0 0 29 2 *', '2996-03-01T00:00:00Z', 2)).toEqual(['3004-02-29T00:00:00.000Z', '3008-02-29T00:00:00.000Z']);
    expect(runs('0 0 * * MON#2', '5000-01-01T00:00:00Z', 1)).toEqual(['5000-01-13T00:00:00.000Z']);
    expect(runs('0 3 * * *', '5000-06-01T12:00:00Z', 1, 'Europe/Berlin')).toEqual(['5000-06-02T01:00:00.000Z']);
    expect(runs('0 3 * * *', '5000-12-01T12:00:00Z', 1, 'Europe/Berlin')).toEqual(['5000-12-02T02:00:00.000Z']);
    // Day-of-week and the Vixie day rule still hold: 9999-12-08 is a Wednesday.
    expect(new Date(Date.UTC(9999, 11, 8)).getUTCDay()).toBe(3);
    expect(runs('0 0 */7 * 3', '9999-12-01T00:00:00Z', 1)).toEqual(['9999-12-08T00:00:00.000Z']);
    expect(runs('0 12 31 12 *', '+200000-01-01T00:00:00Z', 1)).toEqual(['+200000-12-31T12:00:00.000Z']);
    // The last representable instant is 275760-09-13T00:00Z; nothing after it.
    expect(runs('0 0 * * *', '+275760-09-12T12:00:00Z', 2)).toEqual(['+275760-09-13T00:00:00.000Z', null]);
  });

  it('crosses the year 3000 for a rare pattern and still answers null for one that never fires', () => {
    // February 29th that is a Monday: 2996, then 3008.
    expect(new Date(Date.UTC(3008, 1, 29)).getUTCDay()).toBe(1);
    expect(runs('0 0 29 2 +1', '2996-03-01T00:00:00Z', 1)).toEqual(['3008-02-29T00:00:00.000Z']);
    expect(runs('0 0 29 2 +MON', '2700-03-01T00:00:00Z', 1)[0]).toMatch(/^27\d\d-02-29T00:00:00.000Z$/);
    for (const from of ['2026-01-01T00:00:00Z', '2996-01-01T00:00:00Z', '2999-12-31T23:59:00Z', '5000-01-01T00:00:00Z']) {
      expect(runs('0 0 31 4 *', from, 1)).toEqual([null]);
      expect(runs('0 0 30 2 +1', from, 1)).toEqual([null]);
    }
  });

  it('agrees with the walk below the year 3000 for the same time 400 years later', () => {
    const p400 = 146_097 * 86_400_000;
    for (const [expr, zone] of [['30 2 * * *', 'America/New_York'], ['*/15 1-3 * * SUN', 'Europe/Berlin'], ['0 0 L * *', 'UTC']] as const) {
      const schedule = parseSchedule(expr, { timezone: zone });
      let cursor = at('2626-01-01T00:00:00Z');
      for (let i = 0; i < 50; i += 1) {
        const next = schedule.next(cursor) as number;
        expect(schedule.next(cursor + p400)).toBe(next + p400);
        cursor = next;
      }
    }
  });

  it('expands every shortcut', () => {
    const from = '2026-05-06T10:17:00Z'; // a Wednesday
    expect(runs('@yearly', from, 1)).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(runs('@annually', from, 1)).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(runs('@monthly', from, 1)).toEqual(['2026-06-01T00:00:00.000Z']);
    expect(runs('@weekly', from, 1)).toEqual(['2026-05-10T00:00:00.000Z']);
    expect(runs('@daily', from, 1)).toEqual(['2026-05-07T00:00:00.000Z']);
    expect(runs('@midnight', from, 1)).toEqual(['2026-05-07T00:00:00.000Z']);
    expect(runs('@hourly', from, 1)).toEqual(['2026-05-06T11:00:00.000Z']);
    expect(runs('@DAILY', from, 1)).toEqual(['2026-05-07T00:00:00.000Z']);
  });

  it('reports an expression with no future occurrence as null instead of searching forever', () => {
    expect(parseSchedule('0 0 30 2 *').next(at('2026-01-01T00:00:00Z'))).toBeNull();
    expect(parseSchedule('0 0 31 4,6,9,11 *').next(at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('cron in time zones', () => {
  it('fires a fixed time inside the spring-forward gap once, at the first instant after the gap', () => {
    expect(runs('30 2 * * *', '2026-03-07T12:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('skips the day when a gap runs to local midnight: the first instant after it is already the next day', () => {
    // Asia/Tehran skipped 1977-03-21 23:00-24:00 (+03:30 to +04:30): local 22 March 00:00 is 1977-03-21T19:30Z.
    expect(runs('30 23 * * *', '1977-03-20T12:00:00Z', 2, 'Asia/Tehran')).toEqual(['1977-03-20T20:00:00.000Z', '1977-03-22T19:00:00.000Z']);
    expect(runs('0 0 * * *', '1977-03-21T12:00:00Z', 1, 'Asia/Tehran')).toEqual(['1977-03-21T19:30:00.000Z']);
  });

  it('fires a fixed time in the repeated fall-back hour once, on its first pass', () => {
    expect(runs('30 1 * * *', '2026-10-31T12:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
      '2026-11-03T06:30:00.000Z',
    ]);
  });

  it('steps hourly patterns through elapsed time: both passes of the repeated hour', () => {
    expect(runs('0 * * * *', '2026-11-01T03:59:00Z', 5, 'America/New_York')).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('steps hourly patterns through elapsed time: no run for the hour that does not exist', () => {
    // 2026-03-08 in New York: 01:59 EST (06:59Z) is followed by 03:00 EDT (07:00Z).
    expect(runs('15 * * * *', '2026-03-08T05:30:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-08T06:15:00.000Z',
      '2026-03-08T07:15:00.000Z',
      '2026-03-08T08:15:00.000Z',
    ]);
    expect(runs('*/30 * * * *', '2026-03-08T06:10:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-08T06:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:30:00.000Z',
    ]);
  });

  it('applies the same rules in the southern hemisphere, where DST starts in October', () => {
    // Sydney 2026-10-04: 02:00 AEST jumps to 03:00 AEDT (16:00Z on the 3rd).
    expect(runs('30 2 * * *', '2026-10-02T12:00:00Z', 3, 'Australia/Sydney')).toEqual([
      '2026-10-02T16:30:00.000Z',
      '2026-10-03T16:00:00.000Z',
      '2026-10-04T15:30:00.000Z',
    ]);
    // Sydney 2026-04-05: 03:00 AEDT falls back to 02:00 AEST; 02:30 occurs twice, fires on the first (15:30Z).
    expect(runs('30 2 * * *', '2026-04-03T12:00:00Z', 3, 'Australia/Sydney')).toEqual([
      '2026-04-03T15:30:00.000Z',
      '2026-04-04T15:30:00.000Z',
      '2026-04-05T16:30:00.000Z',
    ]);
  });

  it('keeps a constant offset in a zone without DST', () => {
    expect(runs('0 9 * * *', '2026-03-07T00:00:00Z', 3, 'Asia/Kolkata')).toEqual([
      '2026-03-07T03:30:00.000Z',
      '2026-03-08T03:30:00.000Z',
      '2026-03-09T03:30:00.000Z',
    ]);
    expect(runs('0 9 * * *', '2026-10-31T12:00:00Z', 2, 'Asia/Tokyo')).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']);
  });

  it('reads the day in the zone, not in UTC', () => {
    // Midnight on the 1st in Berlin (CEST, +2) is 22:00Z on the previous day.
    expect(runs('@monthly', '2026-05-15T00:00:00Z', 1, 'Europe/Berlin')).toEqual(['2026-05-31T22:00:00.000Z']);
  });
});

describe('malformed expressions', () => {
  const cases: [string, string | undefined, string | undefined, RegExp][] = [
    ['', undefined, undefined, /empty/],
    ['   ', undefined, undefined, /empty/],
    ['* * *', undefined, undefined, /5 fields .* got 3/],
    ['* * * * * * *', undefined, undefined, /got 7/],
    ['61 * * * *', undefined, '61', /minute field: value 61 is out of range 0-59/],
    ['0 24 * * *', undefined, '24', /hour field: value 24 is out of range 0-23/],
    ['0 0 32 * *', undefined, '32', /day of month field: value 32 is out of range 1-31/],
    ['0 0 0 * *', undefined, '0', /day of month field: value 0 is out of range 1-31/],
    ['0 0 * 13 *', undefined, '13', /month field: value 13 is out of range 1-12/],
    ['0 0 * * 8', undefined, '8', /day of week field: value 8 is out of range 0-7/],
    ['60 * * * * *', undefined, '60', /second field: value 60 is out of range/],
    ['0 0 * * FOO', undefined, 'FOO', /day of week field/],
    ['abc * * * *', undefined, 'abc', /minute/],
    ['*/0 * * * *', undefined, '*/0', /minute field: .* step must be from 1 to 60/],
    ['5-1 * * * *', undefined, '5-1', /minute field: .* runs backwards/],
    ['0 0 * * 5#6', undefined, '5#6', /day of week field: .* week in the month, 1-5 or L/],
    ['@reboot', undefined, '@reboot', /unknown shortcut/],
    ['@fortnightly', undefined, '@fortnightly', /unknown shortcut/],
    ['0s', undefined, '0s', /longer than zero/],
    ['0ms', undefined, '0ms', /longer than zero/],
    ['-5m', undefined, '-5m', /not negative/],
    ['5x', undefined, '5x', /expected an interval/],
    ['5m3x', undefined, '3x', /expected an interval/],
    ['1m1h', undefined, '1h', /largest first/],
    ['5m5m', undefined, '5m', /largest first/],
    ['30', undefined, '30', /bare number/],
    ['99999999999999999999d', undefined, '99999999999999999999d', /too long/],
    ['* * * * *', 'Mars/Olympus_Mons', 'Mars/Olympus_Mons', /unknown time zone/],
    ['5m', 'Not/AZone', 'Not/AZone', /unknown time zone/],
    ['* * * * *', '', '', /unknown time zone/],
  ];

  it.each(cases)('rejects %j (zone %s) naming the expression and the bad part', (expr, timezone, part, reason) => {
    let caught: unknown;
    try {
      parseSchedule(expr, timezone === undefined ? {} : { timezone });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScheduleParseError);
    const error = caught as ScheduleParseError;
    expect(error.code).toBe('schedule_parse');
    expect(error.expression).toBe(expr);
    expect(error.message).toContain(JSON.stringify(expr));
    expect(error.message).toMatch(reason);
    expect(error.part).toBe(part);
  });

  it('rejects a value that is not a string', () => {
    expect(() => parseSchedule(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'schedule_parse' }));
    expect(() => parseSchedule(Object.create(null) as string)).toThrow(expect.objectContaining({ code: 'schedule_parse' }));
    expect(() => parseSchedule('5m', { timezone: 7 as unknown as string })).toThrow(/time zone must be a string/);
    expect(() => parseSchedule('5m', null as unknown as object)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
