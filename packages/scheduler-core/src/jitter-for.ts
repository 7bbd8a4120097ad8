/**
 * A delay in [0, maxMs) derived from the occurrence itself (FNV-1a of
 * plugin, schedule and nominal time), so every node and every restart
 * computes the same jitter for the same occurrence: jitter moves a firing
 * in time but can never make it a different occurrence.
 */
export function jitterFor(plugin: string, scheduleId: string, scheduledAt: number, maxMs: number): number {
  if (maxMs <= 0) return 0;
  const text = `${plugin}\u0000${scheduleId}\u0000${scheduledAt}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // murmur3's finaliser, so nearby times do not map to nearby delays. `^` yields a
  // signed 32-bit value: every step ends in `>>> 0` to keep the hash in [0, 2^32).
  hash = (hash ^ (hash >>> 16)) >>> 0;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash = (hash ^ (hash >>> 13)) >>> 0;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return Math.floor((hash / 0x1_0000_0000) * maxMs);
}
