/**
 * The key of a schedule (`plugin` and `scheduleId`), or of one of its runs
 * when `scheduledAt` is given. NUL cannot occur in ids, so keys never collide.
 */
export function runKey(e: { plugin: string; scheduleId: string; scheduledAt?: number }): string {
  const schedule = `${e.plugin}\u0000${e.scheduleId}`;
  return e.scheduledAt === undefined ? schedule : `${schedule}\u0000${e.scheduledAt}`;
}
