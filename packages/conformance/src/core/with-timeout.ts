import { settleWithin } from '@belfry/internal';

/** Settles like `promise`, or rejects with `message` after `ms` — the suite must never hang on a hung backend. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return settleWithin(promise, { ms, timeoutError: () => new Error(message) });
}
