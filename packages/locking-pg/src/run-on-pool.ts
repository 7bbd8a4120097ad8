import type { Pool, PoolClient } from 'pg';
import { cancelStatement } from './cancel-statement.js';
import { connectWithin } from './connect-within.js';
import { isConnectionLoss } from './is-connection-loss.js';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/**
 * Borrows a connection, runs `work` on it and returns it — all within
 * `timeoutMs`. A connection that broke or ran past the deadline is
 * destroyed instead of returned. When `retryOnConnectionLoss` is set and the
 * connection turned out to be dead (for example a pooled connection whose
 * backend was terminated while idle), `work` runs once more on a fresh
 * connection within what is left of the deadline; only idempotent work may
 * ask for that. A statement that runs past the deadline is cancelled on the
 * server before its connection is destroyed.
 */
export async function runOnPool<R>(
  pool: Pool,
  timeoutMs: number,
  work: (client: PoolClient, remainingMs: number) => Promise<R>,
  retryOnConnectionLoss: boolean,
): Promise<R> {
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    const remaining = Math.max(1, Math.round(deadline - performance.now()));
    const client = await connectWithin(pool, remaining);
    // A checked-out client has no error listener; without one a backend
    // dying between two messages would crash the process.
    let broken: unknown;
    const onError = (error: unknown): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      // Part of the budget is kept back for cancelling a statement that overruns.
      const left = deadline - performance.now();
      const result = await work(client, Math.max(1, Math.round(left - cancelReserve(left))));
      client.removeListener('error', onError);
      client.release(broken === undefined ? undefined : toError(broken));
      return result;
    } catch (error) {
      // The statement is still running server-side; stop it before it takes (and orphans) a lock.
      if (error instanceof TimeoutExceededError) await cancelStatement(client, Math.max(1, Math.round(deadline - performance.now())));
      client.removeListener('error', onError);
      const destroy = error instanceof TimeoutExceededError || isConnectionLoss(error) || broken !== undefined;
      client.release(destroy ? toError(error) : undefined);
      const timeLeft = deadline - performance.now() > 50;
      if (!(retryOnConnectionLoss && attempt === 1 && isConnectionLoss(error) && timeLeft)) throw error;
    }
  }
}

/** Time kept back from a statement's budget to cancel it should it overrun: a fifth, at most 200 ms. */
function cancelReserve(budgetMs: number): number {
  return Math.min(200, Math.max(0, budgetMs / 5));
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
