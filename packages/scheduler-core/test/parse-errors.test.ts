import { describe, expect, it } from 'vitest';
import { ScheduleParseError } from '@belfry/plugin-api';
import { parseSchedule } from '../src/index.js';

/** Words that belong to the cron engine underneath, not to Belfry. */
const ENGINE_WORDS = /CronPattern|nearestWeekdays|dayOfWeek|configuration entry|Type: |Value: |NaN|Syntax error|illegal|check for trailing|lastDayOfMonth|partToArray/i;

function parseError(expression: string, timezone?: string): ScheduleParseError {
  try {
    parseSchedule(expression, timezone === undefined ? {} : { timezone });
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleParseError);
    return error as ScheduleParseError;
  }
  throw new Error(`${JSON.stringify(expression)} parsed`);
}

// [expression, field named in the message, what else the message must say]
const badFields: [string, string, RegExp][] = [
  ['0 0 W * *', 'day of month', /15W/],
  ['0 0 W15 * *', 'day of month', /15W/],
  ['0 0 1-15W * *', 'day of month', /15W/],
  ['0 0 L-2 * *', 'day of month', /L stands alone/],
  ['0 0 L/2 * *', 'day of month', /L stands alone/],
  ['0 0 LW,15 * *', 'day of month', /LW stands alone/],
  ['0 0 32W * *', 'day of month', /32 is out of range 1-31/],
  ['0 0 ,, * *', 'day of month', /empty list item/],
  ['0 0 0-10 * *', 'day of month', /0 is out of range 1-31/],
  ['0 0 1-31/40 * *', 'day of month', /step .* 1 to 31/],
  ['0 0 * * 6L#2', 'day of week', /6L#2/],
  ['0 0 * * MON-FOO', 'day of week', /"FOO" is not a day name.*SUN/],
  ['0 0 * * FOO', 'day of week', /"FOO" is not a day name/],
  ['0 0 * * MONDAY', 'day of week', /"MONDAY" is not a day name/],
  ['0 0 * * 5#6', 'day of week', /after # .* 1-5 or L/],
  ['0 0 * * #2', 'day of week', /MON#2/],
  ['0 0 * * L', 'day of week', /5L/],
  ['0 0 * * 1-', 'day of week', /"1-" is not a range/],
  ['0 0 * * 5,', 'day of week', /empty list item/],
  ['0 0 * * 5-0', 'day of week', /runs backwards/],
  ['0 0 * * */8', 'day of week', /step .* 1 to 7/],
  ['0 0 * * +', 'day of week', /\+ needs days after it/],
  ['0 0 * * ++5', 'day of week', /\+ may appear only once/],
  ['0 0 * * 8', 'day of week', /8 is out of range 0-7/],
  ['0 0 * + *', 'month', /\+ is allowed only before the day of week/],
  ['0 0 * JAN-FOO *', 'month', /"FOO" is not a month name.*JAN/],
  ['0 0 * January *', 'month', /"January" is not a month name/],
  ['0 0 * JAN/2 *', 'month', /step needs \* or a range before it/],
  ['0 0 * */13 *', 'month', /step .* 1 to 12/],
  ['0 0 * 13 *', 'month', /13 is out of range 1-12/],
  ['*/0 * * * *', 'minute', /step .* 1 to 60/],
  ['*/x * * * *', 'minute', /step .* whole number/],
  ['5-1 * * * *', 'minute', /runs backwards.*1-5/],
  ['5/10 * * * *', 'minute', /step needs \* or a range before it: \*\/10 or 5-59\/10/],
  ['1-2-3 * * * *', 'minute', /not a range/],
  ['*/5/2 * * * *', 'minute', /more than one \//],
  ['abc * * * *', 'minute', /"abc" is not a number.*0-59/],
  ['a-b * * * *', 'minute', /"a" is not a number/],
  ['61 * * * *', 'minute', /61 is out of range 0-59/],
  ['0 24 * * *', 'hour', /24 is out of range 0-23/],
  ['0 1.5 * * *', 'hour', /"1.5" is not a number/],
  ['60 * * * * *', 'second', /60 is out of range 0-59/],
  ['x * * * * *', 'second', /"x" is not a number/],
];

describe('parse error messages', () => {
  it.each(badFields)('%j names the %s field, says what to write, and is short', (expression, field, detail) => {
    const error = parseError(expression);
    expect(error.message).toContain(`${field} field`);
    expect(error.message).toMatch(detail);
    expect(error.message).not.toMatch(ENGINE_WORDS);
    expect(error.message.length).toBeLessThan(320);
    expect(error.expression).toBe(expression);
  });

  it.each([
    ['1h30', /interval.*1h30m/],
    ['30 s', /interval.*30s/],
    ['1h 30m', /interval.*no spaces/],
    ['5 m', /interval/],
  ])('points %j, an interval written wrongly, at the interval syntax', (expression, hint) => {
    const error = parseError(expression);
    expect(error.message).toMatch(hint);
    expect(error.message).not.toMatch(ENGINE_WORDS);
  });

  it('names the fields when their number is wrong, without mentioning intervals for cron-like text', () => {
    const error = parseError('* * *');
    expect(error.message).toMatch(/5 fields \(minute, hour, day of month, month, day of week\) or 6 with second first; got 3/);
    expect(error.message).not.toMatch(/interval/);
  });

  it('shows at most about 80 characters of a huge expression or part', () => {
    const cases = [
      `${'x'.repeat(100_000)} * * * *`,
      '0 0 * * ' + '1,'.repeat(50_000) + 'FOO',
      `5${'x'.repeat(100_000)}`,
      `@${'y'.repeat(100_000)}`,
      ['* * * * *', `Zone/${'z'.repeat(100_000)}`],
      '* '.repeat(50_000),
    ] as const;
    for (const item of cases) {
      const [expression, zone] = typeof item === 'string' ? [item, undefined] : item;
      const error = parseError(expression, zone);
      expect(error.message.length).toBeLessThan(500);
      expect(error.expression).toBe(expression);
      expect(error.message).toMatch(/characters/);
    }
  });

  it('ScheduleParseError itself cuts a huge expression and part in its message, keeping both whole as fields', () => {
    const expression = 'x'.repeat(100_000);
    const part = 'y'.repeat(100_000);
    const error = new ScheduleParseError(expression, 'bad', part);
    expect(error.message.length).toBeLessThan(250);
    expect(error.message).toMatch(/\(100000 characters\)".*\(100000 characters\)"\): bad$/);
    expect(error).toMatchObject({ code: 'schedule_parse', expression, part });
  });

  it('keeps the whole expression and the bad part on the error for programs', () => {
    const error = parseError('0 0 * * MON-FOO');
    expect(error).toMatchObject({ code: 'schedule_parse', expression: '0 0 * * MON-FOO', part: 'MON-FOO' });
    expect(error.message.startsWith('Invalid schedule "0 0 * * MON-FOO" (at "MON-FOO"): day of week field')).toBe(true);
  });

  it('still accepts what the README lists', () => {
    for (const expression of ['0 0 15W,L * *', '0 0 LW * *', '0 0 * * 5#L', '0 0 ? * ?', '0 0 * * 1-5L', '0 0 * * FRIL', '0 0 * * SAT-SUN', '0 0 * * mon-fri/2', '0 0 * JAN-DEC/3 *', '0 0 * * 0-7/2', '*/60 * * * *', '0 0 l * *', '0 0 15w * *', '0 0 * * 5l,1', '0 0 13 * +FRI', '0 8,12,18 * JAN-MAR sun', '*/10 * * * * *']) {
      expect(() => parseSchedule(expression), expression).not.toThrow();
    }
  });
});
