import { InvalidArgumentError, ScheduleParseError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { assertTimeZone } from './assert-time-zone.js';
import { parseCron } from './parse-cron.js';
import { rememberPrevious } from './occurrence-before.js';
import { parseInterval } from './parse-interval.js';
import type { ParsedSchedule, ParseScheduleOptions } from './parsed-schedule.js';

/** Dates beyond ±8.64e15 ms are not representable; `next` refuses them rather than answer nonsense. */
const MAX_DATE_MS = 8_640_000_000_000_000;

/**
 * Parses a schedule expression: an interval (`500ms`, `30s`, `5m`, `2h`,
 * `1d`, `1h30m`), 5- or 6-field cron (names, lists, ranges, steps, `L`,
 * `W`, `#`), or a shortcut (`@hourly` …). Cron is read in `timezone` with
 * classic cron DST rules; intervals are elapsed time aligned to whole
 * multiples since the Unix epoch, so every node computes the same times.
 *
 * @throws ScheduleParseError (`schedule_parse`) naming the expression and the bad part.
 */
export function parseSchedule(expression: string, options: ParseScheduleOptions = {}): ParsedSchedule {
  if (typeof expression !== 'string') {
    throw new ScheduleParseError(describeValue(expression), `a schedule expression must be a string (got ${describeValue(expression)})`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`parseSchedule options must be an object (got ${describeValue(options)})`);
  }
  const timezone = options.timezone ?? 'UTC';
  if (typeof timezone !== 'string') {
    throw new ScheduleParseError(expression, `the time zone must be a string (got ${describeValue(timezone)})`);
  }
  const text = expression.trim();
  if (text === '') {
    throw new ScheduleParseError(expression, 'the expression is empty; use an interval such as 5m, cron fields, or a shortcut such as @hourly');
  }
  assertTimeZone(expression, timezone);

  if (looksLikeInterval(text)) {
    const periodMs = parseInterval(expression, text);
    const interval: ParsedSchedule = {
      expression,
      timezone,
      kind: 'interval',
      next: (afterMs) => {
        assertAfterMs(afterMs);
        const next = (Math.floor(afterMs / periodMs) + 1) * periodMs;
        return next > MAX_DATE_MS ? null : next;
      },
    };
    rememberPrevious(interval, (beforeMs) => {
      const previous = (Math.ceil(beforeMs / periodMs) - 1) * periodMs;
      return previous < -MAX_DATE_MS ? null : previous;
    });
    return interval;
  }
  const stepper = parseCron(expression, text, timezone);
  const cron: ParsedSchedule = {
    expression,
    timezone,
    kind: 'cron',
    next: (afterMs) => {
      assertAfterMs(afterMs);
      const next = stepper.next(afterMs);
      return next === null || next > MAX_DATE_MS ? null : next;
    },
  };
  rememberPrevious(cron, stepper.previous);
  return cron;
}

/** Text that looks like an interval (digits and unit letters, optionally signed) rather than cron fields. */
function looksLikeInterval(text: string): boolean {
  return /^[+-]?\d/.test(text) && !/\s/.test(text) && /[a-z]$/i.test(text);
}

function assertAfterMs(afterMs: unknown): asserts afterMs is number {
  if (typeof afterMs !== 'number' || !Number.isFinite(afterMs) || Math.abs(afterMs) > MAX_DATE_MS) {
    throw new InvalidArgumentError(
      `next(afterMs) needs a finite time in ms since the epoch within ±${MAX_DATE_MS} (got ${describeValue(afterMs)})`,
    );
  }
}
