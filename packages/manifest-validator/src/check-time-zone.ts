import { parseSchedule } from '@belfry/scheduler-core';

/** Whether scheduler-core accepts a zone name, and its error when it does not. */
export type TimeZoneCheck = { ok: true } | { ok: false; error: unknown };

/*
 * scheduler-core accepts a zone when the runtime's Intl.DateTimeFormat
 * does, and building a formatter costs about 70 µs, which a manifest of a
 * thousand schedules in a thousand zones pays a thousand times. The zones
 * the runtime lists are accepted by that same check, ignoring ASCII case as
 * ECMA-402 does (only ASCII: the Kelvin sign lowercases to `k` but is no
 * zone), so a name found here needs no formatter. Aliases the list leaves
 * out (`US/Eastern`) and unknown names take scheduler-core's own check,
 * remembered, bounded.
 */
const listed = new Set(Intl.supportedValuesOf('timeZone').map(asciiLowerCase));
const MEMO_LIMIT = 2048;
const memo = new Map<string, TimeZoneCheck>();
const OK: TimeZoneCheck = { ok: true };

/**
 * Checks `timezone` the way scheduler-core's parseSchedule does, without
 * compiling a cron pattern in it (an interval takes the same zone check and
 * nothing else). Never throws.
 */
export function checkTimeZone(timezone: string): TimeZoneCheck {
  if (listed.has(asciiLowerCase(timezone))) return OK;
  const known = memo.get(timezone);
  if (known !== undefined) return known;
  let result: TimeZoneCheck;
  try {
    parseSchedule('1d', { timezone });
    result = OK;
  } catch (error) {
    result = { ok: false, error };
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(timezone, result);
  return result;
}

function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}
