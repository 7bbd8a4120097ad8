import { settleWithin } from '@belfry/internal';
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
  return settleWithin(client.query<R>(query), {
    ms: timeoutMs,
    timeoutError: () => new TimeoutExceededError(RUNNING_THE_STATEMENT, timeoutMs),
  });
}
