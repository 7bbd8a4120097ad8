import type { MissedRunPolicy } from '@belfry/plugin-api';
import type { ParsedSchedule } from './parsed-schedule.js';

/** How long after its instant a missed one-shot may still be caught up; it has no next occurrence to bound it. */
const ONE_SHOT_CATCHUP_WINDOW_MS = 86_400_000;

export interface LastAttemptInput {
  parsed: ParsedSchedule;
  policy: MissedRunPolicy;
  jitterMs: number;
  graceMs: number;
  maxCatchupRuns: number;
  catchupSpreadMs: number;
}

/**
 * The last moment (on this node's clock) any node might still try to run
 * the occurrence at `scheduledAt`: its ordinary window, or — while it can
 * still be picked as a catch-up — the window of the occurrence that would
 * replace it. A one-shot has none, so it may be caught up for
 * `ONE_SHOT_CATCHUP_WINDOW_MS` after its instant.
 */
export function lastAttemptAt(input: LastAttemptInput, scheduledAt: number): number {
  if (input.parsed.kind === 'once') {
    return scheduledAt + ONE_SHOT_CATCHUP_WINDOW_MS + input.graceMs + input.catchupSpreadMs + input.jitterMs;
  }
  const horizon = input.policy === 'run_all' ? input.maxCatchupRuns : 1;
  let later = scheduledAt;
  for (let i = 0; i < horizon; i += 1) {
    const next = input.parsed.next(later);
    if (next === null) break;
    later = next;
  }
  return later + input.graceMs + input.catchupSpreadMs + input.jitterMs;
}
