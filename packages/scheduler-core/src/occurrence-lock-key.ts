/**
 * The lock key of one occurrence. It names the occurrence, not just the
 * schedule, so a node that looks late finds the marker the first runner
 * left, instead of a free key it could take again.
 */
export function occurrenceLockKey(plugin: string, scheduleId: string, scheduledAt: number): string {
  return `belfry:run:${encodeURIComponent(plugin)}:${encodeURIComponent(scheduleId)}:${scheduledAt}`;
}
