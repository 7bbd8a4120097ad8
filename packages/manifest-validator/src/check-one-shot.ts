import { parseOneShot } from '@belfry/scheduler-core';

/** Whether a one-shot `at` parses with scheduler-core's parseOneShot, and why not. Never throws. */
export function checkOneShot(at: string): { ok: true } | { ok: false; error: unknown } {
  try {
    parseOneShot(at);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}
