import { inspect } from 'node:util';
import { expect } from 'vitest';
import { HOSTILE_PASSWORD } from '@belfry/internal/testing';
import { settle } from './database.js';

/** The contract's bound for a dead backend; ten times and more what a refused or timed-out call takes. */
export const BOUND_MS = 2000;

/** Fails when an error's message or its full printout shows the hostile password. */
export function expectNoPassword(error: unknown): void {
  expect(String((error as Error).message)).not.toContain(HOSTILE_PASSWORD);
  expect(inspect(error)).not.toContain(HOSTILE_PASSWORD);
}

/**
 * Opens a store on each of `urls` and makes one call: the store either
 * refuses the URL at once with invalid_argument, or the call rejects with
 * store_backend within {@link BOUND_MS}; no error shows the password.
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
    expect(attempt.ms, url).toBeLessThan(BOUND_MS);
    expect(attempt.outcome, url).toBe('rejected');
    expect(attempt.value, url).toMatchObject({ code: 'store_backend' });
    expectNoPassword(attempt.value);
  }
}
