/** Key of a schedule in the scheduler's maps and persisted state. */
export function scheduleKey(plugin: string, scheduleId: string): string {
  return `${plugin}\u0000${scheduleId}`;
}
