import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { BelfryError } from '@belfry/plugin-api';
import { errorText, settleWithin, STORE_BACKEND, storeBackendError } from '@belfry/internal';

/**
 * The pool behind a store, wrapped so that no call hangs: a call borrows a
 * connection and runs one statement within `timeoutMs` in all, and a
 * connection that failed or ran late is destroyed rather than handed to
 * the next caller.
 */
export class PgConnection {
  readonly #pool: Pool;
  readonly #owned: boolean;
  readonly timeoutMs: number;
  #closed = false;

  constructor(pool: Pool, owned: boolean, timeoutMs: number) {
    this.#pool = pool;
    this.#owned = owned;
    this.timeoutMs = timeoutMs;
  }

  /** Runs one statement; rejects with `store_backend` naming `where` on any failure or after `timeoutMs` (or `timeoutMs` given). */
  async query<R extends QueryResultRow>(where: string, query: QueryConfig, timeoutMs = this.timeoutMs): Promise<R[]> {
    return this.#borrow(where, timeoutMs, async (client) => (await client.query<R>(query)).rows);
  }

  /**
   * Runs a script of several statements (no parameters) in one round trip;
   * PostgreSQL runs it as one implicit transaction, each statement with a
   * snapshot of its own, and commits once. Returns the rows of each
   * statement; same failures and time limit as `query`. On any failure the
   * connection is destroyed, and the transaction rolled back.
   */
  async script(where: string, text: string, timeoutMs = this.timeoutMs): Promise<QueryResultRow[][]> {
    return this.#borrow(where, timeoutMs, async (client) => {
      // Without values, pg sends the simple query protocol, which allows several statements and answers with one result each.
      const results = (await client.query(text)) as unknown as QueryResult | QueryResult[];
      return (Array.isArray(results) ? results : [results]).map((result) => result.rows);
    });
  }

  /** Borrows a connection and runs `work` on it, all within `timeoutMs`. */
  async #borrow<T>(where: string, timeoutMs: number, work: (client: PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new BelfryError(STORE_BACKEND, `${where}: the store was closed`);
    const deadline = performance.now() + timeoutMs;
    const late = (what: string) => () => new Error(`PostgreSQL did not ${what} within ${timeoutMs} ms (option timeoutMs)`);
    let client: PoolClient;
    try {
      client = await settleWithin(this.#pool.connect(), { ms: timeoutMs, timeoutError: late('hand out a connection'), onLateValue: (lateClient) => lateClient.release() });
    } catch (error) {
      throw storeBackendError(where, error);
    }
    // A borrowed connection has no error listener; without one a backend
    // dying between two messages would crash the process.
    let broken: unknown;
    const onError = (error: unknown): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const remaining = Math.max(1, Math.round(deadline - performance.now()));
      const result = await settleWithin(work(client), { ms: remaining, timeoutError: late('answer') });
      client.off('error', onError);
      client.release(broken === undefined ? undefined : toError(broken));
      return result;
    } catch (error) {
      // The statement may still be running, or the session be gone: never reuse this connection.
      client.off('error', onError);
      client.on('error', () => undefined);
      client.release(toError(error));
      throw storeBackendError(where, missingTable(error) ? `${errorText(error)}; run setup() once to create it` : error);
    }
  }

  /**
   * A connection of the pool held for a long-lived session (a LISTEN), handed
   * out within `timeoutMs`. The caller owns it and ends it with
   * `release(true)`, so its session state never reaches another caller.
   */
  async session(where: string): Promise<PoolClient> {
    if (this.#closed) throw new BelfryError(STORE_BACKEND, `${where}: the store was closed`);
    try {
      return await settleWithin(this.#pool.connect(), {
        ms: this.timeoutMs,
        timeoutError: () => new Error(`PostgreSQL did not hand out a connection within ${this.timeoutMs} ms (option timeoutMs)`),
        onLateValue: (lateClient) => lateClient.release(true),
      });
    } catch (error) {
      throw storeBackendError(where, error);
    }
  }

  /** Ends a pool made from `connectionString`; leaves a given pool open. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.#pool.end();
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** `undefined_table`: the store's table was never created. */
function missingTable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '42P01';
}
