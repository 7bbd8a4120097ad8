/**
 * What every occurrence lock key of a schedule starts with; the key of the
 * occurrence at `scheduledAt` is this prefix followed by `scheduledAt`.
 * The key names the occurrence, not just the schedule, so a node that looks
 * late finds the marker the first runner left, instead of a free key it
 * could take again. Each schedule entry keeps its prefix, so a burst does
 * not encode the same names again for every firing.
 */
export function occurrenceLockKeyPrefix(plugin: string, scheduleId: string): string {
  return `belfry:run:${encodeURIComponent(plugin)}:${encodeURIComponent(scheduleId)}:`;
}
