import type { Firing } from './firing.js';
import { jitterFor } from './jitter-for.js';

/**
 * Sets the start times of catch-ups found together: spread over
 * `spreadMs`, lower priority values first, plus each occurrence's own
 * jitter, so a restart storm never starts every catch-up at once. Returns
 * them in that order. Pure apart from setting `fireAt`.
 */
export function spreadCatchups(catchups: Firing[], now: number, spreadMs: number): Firing[] {
  const sorted = [...catchups].sort((a, b) => a.entry.priority - b.entry.priority || a.entry.order - b.entry.order || a.scheduledAt - b.scheduledAt);
  const slots = sorted.length;
  sorted.forEach((firing, rank) => {
    const spread = Math.floor((spreadMs * rank) / slots);
    firing.fireAt = now + spread + jitterFor(firing.entry.pluginName, firing.entry.id, firing.scheduledAt, firing.entry.jitterMs);
    // Each occurrence has its own jitter; a schedule's catch-ups must still start oldest first.
    const previous = sorted[rank - 1];
    if (previous?.entry === firing.entry) firing.fireAt = Math.max(firing.fireAt, previous.fireAt);
  });
  return sorted;
}
