import { check, codeOf } from '../core/check.js';

/** True when two JSON values are the same, key order included. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value as it appears in a failure reason. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Fails the rule unless `call` rejects with invalid_argument and a message naming the bad value as `shownAs`. */
export async function mustRejectInvalid(call: () => Promise<unknown>, shownAs: string, what: string): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (thrown) {
    error = thrown ?? new Error('rejected with nothing');
  }
  check(error !== undefined, `${what} resolved instead of rejecting with invalid_argument`);
  check(codeOf(error) === 'invalid_argument', `${what} rejected with ${show(codeOf(error))} instead of invalid_argument`);
  const message = error instanceof Error ? error.message : '';
  check(message.includes(shownAs), `${what}: the message ${show(message)} does not name the bad value ${shownAs}`);
}
