import { parseSchedule, type ParsedSchedule, type ScheduleKind } from '@belfry/scheduler-core';

/** What the semantics tier needs to know about one expression in one zone. */
export type ScheduleCheck =
  | { ok: true; kind: ScheduleKind; neverFires: boolean }
  | { ok: false; error: unknown };

/*
 * Parsing a cron expression compiles a croner pattern (tables of about
 * 10,000 entries) for its zone, the costliest step of validation. Whether an
 * expression parses, its kind and whether it can fire do not depend on the
 * zone (the zone is checked on its own, by checkTimeZone), so the expression
 * is parsed once, in UTC, and remembered: a thousand schedules in a thousand
 * zones compile one pattern per distinct expression, not one per pair. The
 * memo holds a whole manifest's worth (MAX_SCHEDULES) and is bounded.
 */
const MEMO_LIMIT = 1024;
const memo = new Map<string, ScheduleCheck>();

/**
 * Parses `expression` with scheduler-core's parseSchedule and reports
 * whether it parsed, as what kind, and whether a cron pattern can never
 * fire. Never throws.
 */
export function checkScheduleExpression(expression: string): ScheduleCheck {
  const known = memo.get(expression);
  if (known !== undefined) return known;
  let result: ScheduleCheck;
  try {
    const parsed = parseSchedule(expression);
    result = { ok: true, kind: parsed.kind, neverFires: parsed.kind === 'cron' && neverFires(expression, parsed) };
  } catch (error) {
    result = { ok: false, error };
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(expression, result);
  return result;
}

/*
 * Whether any date matches depends only on the day-of-month, month and
 * day-of-week fields, so the answer is remembered by them: thousands of
 * schedules that differ only in the time of day cost one search. The search
 * itself uses the pattern already compiled for the expression (in UTC, where
 * every day has every time, so a matching date always yields a run): a
 * second pattern for the date fields alone would cost its compilation, the
 * larger part of the search, again.
 */
const dateMemo = new Map<string, boolean>();

/**
 * A date pattern repeats every 400 years (the Gregorian cycle, weekdays
 * included), and croner searches up to the year 3000, so no occurrence in
 * 2600–2999 means none ever. Without a day-of-week the pattern depends only
 * on month lengths, so four years (one of them leap) are enough, and a
 * search that finds nothing, the costly case, stays short.
 */
const LAST_CYCLE_MS = Date.UTC(2600, 0, 1);
const LAST_LEAP_CYCLE_MS = Date.UTC(2996, 0, 1);

/**
 * True when a cron expression matches no date at all (`0 0 30 2 *`). Only a
 * day of month restricted together with the month can do that; other
 * patterns skip the search.
 */
function neverFires(expression: string, parsed: ParsedSchedule): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return false;
  const [dayOfMonth, month, dayOfWeek] = fields.slice(-3) as [string, string, string];
  if (dayOfMonth === '*' || dayOfMonth === '?' || month.startsWith('*')) return false;
  const dates = `${dayOfMonth} ${month} ${dayOfWeek}`;
  const known = dateMemo.get(dates);
  if (known !== undefined) return known;
  const from = dayOfWeek === '*' || dayOfWeek === '?' ? LAST_LEAP_CYCLE_MS : LAST_CYCLE_MS;
  let never: boolean;
  try {
    never = searchWindowReached(from) && parsed.next(from) === null;
  } catch {
    never = false;
  }
  if (dateMemo.size >= MEMO_LIMIT) dateMemo.delete(dateMemo.keys().next().value as string);
  dateMemo.set(dates, never);
  return never;
}

/** Whether a daily pattern finds a run after `from`: a search window croner does not reach would make every pattern look dead. */
const windowReached = new Map<number, boolean>();
function searchWindowReached(from: number): boolean {
  let reached = windowReached.get(from);
  if (reached === undefined) {
    reached = parseSchedule('0 0 * * *').next(from) !== null;
    windowReached.set(from, reached);
  }
  return reached;
}
