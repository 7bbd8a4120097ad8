import type { PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/** `TimeoutExceededError.what` of a statement that was sent but not answered in time. */
export const RUNNING_THE_STATEMENT = 'running the statement';

/**
 * Runs one statement, rejecting with `TimeoutExceededError` after
 * `timeoutMs`. The statement may still be running on the server then, so
 * the caller must destroy the connection (`client.release(error)`), never
 * return it to the pool.
 */
export function queryWithin<R extends QueryResultRow>(
  client: PoolClient,
  query: QueryConfig,
  timeoutMs: number,
): Promise<QueryResult<R>> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new TimeoutExceededError(RUNNING_THE_STATEMENT, timeoutMs));
    }, timeoutMs);
    client.query<R>(query).then(
      (result) => {
        if (late) return;
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        if (late) return;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
