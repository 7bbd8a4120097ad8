import type { Pool, PoolClient } from 'pg';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/**
 * Borrows a connection from `pool`, giving up after `timeoutMs`. A user's
 * pool may have no connect timeout of its own, and a pool that is full
 * queues callers without bound, so the deadline is enforced here. A
 * connection that arrives after the deadline goes straight back.
 */
export function connectWithin(pool: Pool, timeoutMs: number): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new TimeoutExceededError('waiting for a connection', timeoutMs));
    }, timeoutMs);
    pool.connect().then(
      (client) => {
        if (late) {
          client.release();
          return;
        }
        clearTimeout(timer);
        resolve(client);
      },
      (error: unknown) => {
        if (late) return;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
