import { settleWithin } from '@belfry/internal';
import type { PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/** `TimeoutExceededError.what` of a statement that was sent but not answered in time. */
export const RUNNING_THE_STATEMENT = 'running the statement';

/**
 * Runs one statement, rejecting with `TimeoutExceededError` after
 * `timeoutMs`. The statement may still be running on the server then, so
 * the caller must destroy the connection (`client.release(error)`), never
 * return it to the pool. A `name` prepares the statement once per
 * connection (direct sessions only: a transaction pooler would run it on
 * server sessions that never saw it prepared).
 */
export function queryWithin<R extends QueryResultRow>(
  client: PoolClient,
  query: QueryConfig,
  timeoutMs: number,
): Promise<QueryResult<R>> {
  // Text and values passed apart: pg copies a config object on every call, and only a named statement needs one.
  const running = query.name === undefined ? client.query<R>(query.text, query.values) : client.query<R>(query);
  return settleWithin(running, {
    ms: timeoutMs,
    timeoutError: () => new TimeoutExceededError(RUNNING_THE_STATEMENT, timeoutMs),
  });
}
