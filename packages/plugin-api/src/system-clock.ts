import type { Clock } from './clock.js';

/** setTimeout silently fires at once for delays above 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The real clock: `Date.now()` and `setTimeout`. Delays longer than
 * setTimeout's limit are split into several timers, so a long delay is
 * never turned into an immediate call.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const dueAt = Date.now() + Math.max(0, delayMs);
    let handle: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const arm = (): void => {
      const remaining = dueAt - Date.now();
      if (remaining <= MAX_TIMEOUT_MS) {
        handle = setTimeout(() => {
          if (!cancelled) callback();
        }, Math.max(0, remaining));
      } else {
        handle = setTimeout(arm, MAX_TIMEOUT_MS);
      }
    };
    arm();
    return () => {
      cancelled = true;
      if (handle !== undefined) clearTimeout(handle);
    };
  },
};
