import { settleWithin } from '@belfry/internal';
import type { Pool, PoolClient } from 'pg';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/**
 * Borrows a connection from `pool`, giving up after `timeoutMs`. A user's
 * pool may have no connect timeout of its own, and a pool that is full
 * queues callers without bound, so the deadline is enforced here. A
 * connection that arrives after the deadline goes straight back.
 */
export function connectWithin(pool: Pool, timeoutMs: number): Promise<PoolClient> {
  return settleWithin(pool.connect(), {
    ms: timeoutMs,
    timeoutError: () => new TimeoutExceededError('waiting for a connection', timeoutMs),
    onLateValue: (client) => client.release(),
  });
}
