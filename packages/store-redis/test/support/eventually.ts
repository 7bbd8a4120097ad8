/** Pause between re-checks while waiting for a state: short beside a round trip, long enough not to hammer the server. */
const RECHECK_MS = 10;

/**
 * Resolves once `condition` holds; rejects with `reason` when it still does
 * not after `guardMs` (a hang guard, not a timing check).
 */
export async function eventually(condition: () => boolean | Promise<boolean>, guardMs: number, reason: string): Promise<void> {
  const giveUpAt = performance.now() + guardMs;
  for (;;) {
    if (await condition()) return;
    if (performance.now() >= giveUpAt) throw new Error(reason);
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
  }
}
