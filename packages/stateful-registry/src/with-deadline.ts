import { BelfryError, type Clock } from '@belfry/plugin-api';
import { settleWithin } from '@belfry/internal';

/**
 * Settles like `work()`, or rejects with a `timeout` BelfryError after `ms` on
 * `clock`. A call that throws synchronously rejects instead. The work itself
 * cannot be cancelled; the caller simply stops waiting for it.
 */
export function withDeadline<T>(work: () => T | Promise<T>, ms: number, clock: Clock, what: string): Promise<T> {
  return settleWithin(work, { ms, clock, timeoutError: () => new BelfryError('timeout', `${what} did not finish within ${ms} ms`) });
}
