import type { MissedRunPolicy } from '@belfry/plugin-api';
import type { ParsedSchedule } from './parsed-schedule.js';

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
 * replace it.
 */
export function lastAttemptAt(input: LastAttemptInput, scheduledAt: number): number {
  const horizon = input.policy === 'run_all' ? input.maxCatchupRuns : 1;
  let later = scheduledAt;
  for (let i = 0; i < horizon; i += 1) {
    const next = input.parsed.next(later);
    if (next === null) break;
    later = next;
  }
  return later + input.graceMs + input.catchupSpreadMs + input.jitterMs;
}
