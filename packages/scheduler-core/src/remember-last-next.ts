import { sharePrevious } from './occurrence-before.js';
import type { ParsedSchedule } from './parsed-schedule.js';

/**
 * `parsed` with its last `next` answer remembered. Planning an occurrence
 * asks for the one after it, and bounding that occurrence's lock asks again
 * a moment later: with a cron expression each answer is a calendar search,
 * so a burst would do every search twice. `next` is pure, so the answer
 * for the same instant is always the same.
 */
export function rememberLastNext(parsed: ParsedSchedule): ParsedSchedule {
  let lastAfter = Number.NaN;
  let lastNext: number | null = null;
  const remembering: ParsedSchedule = {
    expression: parsed.expression,
    timezone: parsed.timezone,
    kind: parsed.kind,
    next(afterMs: number): number | null {
      if (afterMs !== lastAfter) {
        lastNext = parsed.next(afterMs);
        lastAfter = afterMs;
      }
      return lastNext;
    },
  };
  sharePrevious(parsed, remembering);
  return remembering;
}
