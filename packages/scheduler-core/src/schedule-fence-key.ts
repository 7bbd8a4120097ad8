/**
 * The fence scope of a schedule: every occurrence's lock shares it, so
 * fences strictly increase across the schedule's runs and a backend keeps
 * one counter per schedule, not one per occurrence.
 */
export function scheduleFenceKey(plugin: string, scheduleId: string): string {
  return `belfry:fence:${encodeURIComponent(plugin)}:${encodeURIComponent(scheduleId)}`;
}
