import { parseSchedule } from '@belfry/scheduler-core';

/** What the semantics tier needs to know about one expression in one zone. */
export type ScheduleCheck =
  | { ok: true; kind: 'interval' | 'cron'; neverFires: boolean }
  | { ok: false; error: unknown };

/*
 * Parsing an expression builds a croner pattern and time-zone formatter,
 * the costliest step of validation, while the manifests a host loads repeat
 * a handful of expressions and zones. Results are pure functions of
 * (expression, zone), so a small bounded memo is safe.
 */
const MEMO_LIMIT = 1024;
const memo = new Map<string, ScheduleCheck>();

/**
 * Parses `expression` in `timezone` with scheduler-core's parseSchedule and
 * reports whether it parsed, as what kind, and whether a cron pattern can
 * never fire. Never throws.
 */
export function checkScheduleExpression(expression: string, timezone: string | undefined): ScheduleCheck {
  const key = `${timezone ?? ''}\u0000${expression}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: ScheduleCheck;
  try {
    const parsed = parseSchedule(expression, timezone === undefined ? {} : { timezone });
    result = { ok: true, kind: parsed.kind, neverFires: parsed.kind === 'cron' && mayNeverFire(expression) && hasNoOccurrence(parsed.next) };
  } catch (error) {
    result = { ok: false, error };
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(key, result);
  return result;
}

/**
 * Only a day of month restricted together with the month can name a date
 * that never comes (`0 0 30 2 *`); other patterns skip the costlier search.
 */
function mayNeverFire(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return false;
  const offset = fields.length - 5;
  const dayOfMonth = fields[2 + offset] as string;
  const month = fields[3 + offset] as string;
  return dayOfMonth !== '*' && dayOfMonth !== '?' && !month.startsWith('*');
}

/** A cron pattern repeats within 400 years, so no occurrence after the epoch means none ever. */
function hasNoOccurrence(next: (afterMs: number) => number | null): boolean {
  try {
    return next(0) === null;
  } catch {
    return false;
  }
}
