import type { ParsedSchedule } from './parsed-schedule.js';

type Previous = (beforeMs: number) => number | null;

const previousOf = new WeakMap<ParsedSchedule, Previous>();

/** Records how to step a parsed schedule backwards; kept off the public result so its shape stays plain. */
export function rememberPrevious(schedule: ParsedSchedule, previous: Previous): void {
  previousOf.set(schedule, previous);
}

/**
 * The last occurrence strictly before `beforeMs`, or `null` if none. Lets
 * the scheduler find the newest missed occurrences after a long outage
 * without stepping through every one of them.
 */
export function occurrenceBefore(schedule: ParsedSchedule, beforeMs: number): number | null {
  const previous = previousOf.get(schedule);
  if (previous === undefined) throw new TypeError('occurrenceBefore needs a schedule made by parseSchedule');
  return previous(beforeMs);
}
