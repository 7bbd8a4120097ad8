import type { Cron } from 'croner';

/** 400 Gregorian years: 146,097 days, a whole number of weeks. */
const CYCLE_MS = 146_097 * 86_400_000;
/** Croner looks no further than this. */
const LIMIT_MS = Date.UTC(3000, 0, 1);
/** One cycle before the limit: a search from here that finds nothing proves there is nothing ever. */
const BASE_MS = LIMIT_MS - CYCLE_MS;
/** Nine years before the limit, two of them leap years. */
const LAST_YEARS_MS = Date.UTC(2991, 0, 1);

/**
 * The first run of `cron` strictly after `afterMs`, with no year-3000 horizon.
 * The Gregorian calendar repeats every 400 years, weekdays included, and zone
 * rules that far out repeat every year, so a search past croner's limit is
 * run whole cycles earlier and moved back.
 *
 * `anyWeekday` says day of week is `*`: then the days a year offers depend
 * only on whether it is a leap year, so nine years show whether the pattern
 * fires at all, and a pattern that never does (`0 0 31 4 *`) is answered
 * without walking a whole cycle.
 */
export function cronNext(cron: Cron, afterMs: number, anyWeekday: boolean): number | null {
  // Searches start in [BASE, LIMIT), where the calendar is the same as at afterMs.
  let cycles = afterMs < LIMIT_MS ? 0 : Math.floor((afterMs - BASE_MS) / CYCLE_MS);
  const from = afterMs - cycles * CYCLE_MS;
  let next = cron.nextRun(new Date(from))?.getTime() ?? null;
  if (next === null && from > BASE_MS) {
    // Nothing in [from, LIMIT): the answer, if any, lies past the limit, one cycle on from BASE.
    if (anyWeekday && cron.nextRun(new Date(LAST_YEARS_MS)) === null) return null;
    next = cron.nextRun(new Date(BASE_MS - 1))?.getTime() ?? null;
    cycles += 1;
  }
  return next === null ? null : next + cycles * CYCLE_MS;
}
