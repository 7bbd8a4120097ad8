import { ScheduleParseError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { rememberPrevious } from './occurrence-before.js';
import type { ParsedSchedule } from './parsed-schedule.js';

/** `YYYY-MM-DDTHH:MM[:SS[.fff]]` then `Z` or `±HH:MM`: an instant every node reads the same way. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

function refuse(at: string, reason: string): never {
  throw new ScheduleParseError(at, `${reason}; write an ISO 8601 instant with an offset, such as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00`);
}

/**
 * Parses a one-shot instant (`2026-12-01T09:00:00Z`, `…+01:00`) into a
 * schedule of `kind: 'once'` whose `next(after)` is the instant while it is
 * strictly after `after`, then `null`. The offset is required: a local time
 * would mean different instants on nodes in different zones.
 *
 * @throws ScheduleParseError (`schedule_parse`) naming the text and what is wrong.
 */
export function parseOneShot(at: string): ParsedSchedule {
  if (typeof at !== 'string') {
    throw new ScheduleParseError(describeValue(at), `a one-shot instant must be a string (got ${describeValue(at)})`);
  }
  const match = INSTANT.exec(at.trim());
  if (match === null) {
    if (/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(at.trim())) refuse(at, 'the instant has no offset, so nodes in different zones would read it differently');
    refuse(at, 'not an ISO 8601 instant');
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '', zulu, sign, offsetHours, offsetMinutes] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = parts;
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  back.setUTCHours(h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const localMs = back.getTime();
  // Date.UTC rolls 2026-02-30 over to March; a date that does not read back the same does not exist.
  if (mo < 1 || mo > 12 || back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1 || h > 23 || mi > 59 || s > 59) {
    refuse(at, 'no such date or time');
  }
  let offsetMs = 0;
  if (zulu === undefined) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) refuse(at, 'the offset is out of range (at most ±23:59)');
    offsetMs = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const instant = localMs - offsetMs;
  const once: ParsedSchedule = {
    expression: at,
    timezone: 'UTC',
    kind: 'once',
    next: (afterMs) => (instant > afterMs ? instant : null),
  };
  rememberPrevious(once, (beforeMs) => (instant < beforeMs ? instant : null));
  return once;
}
