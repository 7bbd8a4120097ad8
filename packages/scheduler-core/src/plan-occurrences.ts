import type { MissedRunPolicy } from '@belfry/plugin-api';
import { occurrenceBefore } from './occurrence-before.js';
import type { ParsedSchedule } from './parsed-schedule.js';

/** Counting dropped occurrences one by one stops here; the count is then reported as a lower bound. */
const MAX_COUNTED_OCCURRENCES = 10_000;

export interface PlanInput {
  parsed: ParsedSchedule;
  policy: MissedRunPolicy;
  /** Every occurrence at or before this time was already handled. */
  since: number;
  now: number;
  /** The occurrence the timer was set for, when planning because it came due. */
  popped: number | undefined;
  graceMs: number;
  maxCatchupRuns: number;
}

/** What to do about the occurrences of one schedule in (since, now]. */
export interface Plan {
  /** The next occurrence after now, to wait for. */
  nextTick: number | null;
  /** Newest due occurrence, if any. */
  newest: number | null;
  /** The newest occurrence, when it is within the grace window: an ordinary (maybe late) run. */
  onTime: number | null;
  /** Missed occurrences to run as catch-ups, oldest first. */
  catchups: number[];
  /** Policy `skip`: the missed occurrences not run. */
  skipped: { latest: number; count: number } | null;
  /** Policy `run_all`: missed occurrences beyond the cap. */
  dropped: { count: number; countIsLowerBound: boolean; oldest: number; newest: number } | null;
}

/** Occurrences strictly between `from` and `to`, counted up to a limit. */
function countBetween(parsed: ParsedSchedule, from: number, to: number): { count: number; lowerBound: boolean; oldest: number | null } {
  let count = 0;
  let oldest: number | null = null;
  for (let at = parsed.next(from); at !== null && at < to; at = parsed.next(at)) {
    oldest ??= at;
    count += 1;
    if (count >= MAX_COUNTED_OCCURRENCES) return { count, lowerBound: true, oldest };
  }
  return { count, lowerBound: false, oldest };
}

/**
 * Decides, for one schedule, which due occurrences run: the newest one as an
 * ordinary firing if it is at most `graceMs` late; older ones are missed and
 * handled by the policy. Finds the newest occurrences by stepping backwards
 * from now, so a long outage costs as much as the catch-up cap, not as much
 * as the number of occurrences missed.
 */
export function planOccurrences(input: PlanInput): Plan {
  const { parsed, policy, since, now, popped, graceMs, maxCatchupRuns } = input;
  const keep = policy === 'run_all' ? maxCatchupRuns + 1 : 2;
  let due: number[];
  let older = { count: 0, lowerBound: false, oldest: null as number | null };
  let nextTick: number | null;
  const after = popped === undefined ? null : parsed.next(popped);
  if (popped !== undefined && popped > since && (after === null || after > now)) {
    // The usual case: exactly the occurrence the timer was set for is due.
    due = [popped];
    nextTick = after;
  } else {
    const newestFirst: number[] = [];
    let cursor = now + 1;
    while (newestFirst.length < keep) {
      const previous = occurrenceBefore(parsed, cursor);
      if (previous === null || previous <= since) break;
      newestFirst.push(previous);
      cursor = previous;
    }
    due = newestFirst.reverse();
    // run_once folds older misses into its one run, so only the other policies need them counted.
    if (due.length === keep && policy !== 'run_once') older = countBetween(parsed, since, due[0] as number);
    nextTick = parsed.next(Math.max(now, since));
  }
  const plan: Plan = { nextTick, newest: null, onTime: null, catchups: [], skipped: null, dropped: null };
  if (due.length === 0) return plan;

  const newest = due[due.length - 1] as number;
  plan.newest = newest;
  const onTime = now - newest <= graceMs;
  if (onTime) plan.onTime = newest;
  const missed = onTime ? due.slice(0, -1) : due;
  const missedTotal = missed.length + older.count;
  if (missedTotal === 0) return plan;

  if (policy === 'skip') {
    plan.skipped = { latest: missed[missed.length - 1] ?? (older.oldest as number), count: missedTotal };
  } else if (policy === 'run_once') {
    // One run covers everything missed; an on-time run, if there is one, is that run.
    if (!onTime) plan.catchups = [missed[missed.length - 1] as number];
  } else {
    const kept = missed.slice(-maxCatchupRuns);
    const droppedHere = missed.length - kept.length;
    const count = droppedHere + older.count;
    if (count > 0) {
      plan.dropped = {
        count,
        countIsLowerBound: older.lowerBound,
        oldest: older.oldest ?? (missed[0] as number),
        newest: droppedHere > 0 ? (missed[droppedHere - 1] as number) : (occurrenceBefore(parsed, kept[0] as number) as number),
      };
    }
    plan.catchups = kept;
  }
  return plan;
}
