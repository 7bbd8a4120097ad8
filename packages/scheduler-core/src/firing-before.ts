import type { TimelineItem } from './firing.js';

/** Start order: earlier first, then lower priority value, then registration order, then older occurrence. */
export function firingBefore(a: TimelineItem, b: TimelineItem): boolean {
  if (a.fireAt !== b.fireAt) return a.fireAt < b.fireAt;
  if (a.entry.priority !== b.entry.priority) return a.entry.priority < b.entry.priority;
  if (a.entry.order !== b.entry.order) return a.entry.order < b.entry.order;
  return a.scheduledAt < b.scheduledAt;
}
