import { inspect } from 'node:util';
import { expect } from 'vitest';
import { HOSTILE_PASSWORD } from '@belfry/internal/testing';
import { settle } from './database.js';

/**
 * Hang guard for a call to a dead, silent or killed backend: ten times the
 * longest `timeoutMs` these tests give a store (1000 ms). The calls settle at
 * their own timeout; this only catches one that never does.
 */
export const HANG_GUARD_MS = 10_000;

/** Fails when an error's message or its full printout shows the hostile password. */
export function expectNoPassword(error: unknown): void {
  expect(String((error as Error).message)).not.toContain(HOSTILE_PASSWORD);
  expect(inspect(error)).not.toContain(HOSTILE_PASSWORD);
}

/**
 * Opens a store on each of `urls` and makes one call: the store either
 * refuses the URL at once with invalid_argument, or the call rejects with
 * store_backend within {@link HANG_GUARD_MS}; no error shows the password.
 */
export async function expectHostileUrlsHandled<Store>(urls: readonly string[], open: (url: string) => Store, call: (store: Store) => Promise<unknown>): Promise<void> {
  for (const url of urls) {
    let store: Store;
    try {
      store = open(url);
    } catch (error) {
      expect(error, url).toMatchObject({ code: 'invalid_argument' });
      expectNoPassword(error);
      continue;
    }
    const attempt = await settle(() => call(store));
    expect(attempt.ms, url).toBeLessThan(HANG_GUARD_MS);
    expect(attempt.outcome, url).toBe('rejected');
    expect(attempt.value, url).toMatchObject({ code: 'store_backend' });
    expectNoPassword(attempt.value);
  }
}
