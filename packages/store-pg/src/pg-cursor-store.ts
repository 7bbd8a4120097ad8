import { assertCursor, assertFence, assertJobId, quoteIdentifier, storeBackendError } from '@belfry/internal';
import type { CursorSaveResult, CursorStore, JsonValue, StoredCursor } from '@belfry/plugin-api';
import { cursorStatements, type CursorStatements } from './cursor-statements.js';
import { openPgConnection } from './open-pg-connection.js';
import type { PgConnection } from './pg-connection.js';
import type { PgStoreOptions } from './pg-store-options.js';

/** Options of {@link PgCursorStore}. */
export interface PgCursorStoreOptions extends PgStoreOptions {
  /** Table of cursors, one row per job; created by `setup()`. A plain identifier: letters, digits, `_`, at most 63 characters. Default `'belfry_cursors'`. */
  table?: string;
}

/**
 * Keeps poller cursors in PostgreSQL, one row per job, so every node of a
 * cluster sees the same cursor. A save is one `INSERT … ON CONFLICT DO
 * UPDATE … WHERE` that compares fences and writes atomically. Run
 * `setup()` once (it is idempotent) before the first call.
 */
export class PgCursorStore implements CursorStore {
  readonly #connection: PgConnection;
  readonly #statements: CursorStatements;

  constructor(options: PgCursorStoreOptions) {
    const table = quoteIdentifier(options?.table ?? 'belfry_cursors', 'PgCursorStore option "table"');
    this.#connection = openPgConnection(options, 'PgCursorStore');
    this.#statements = cursorStatements(table);
  }

  /** Creates the table if it is missing; safe to run from every node at every start. */
  async setup(): Promise<void> {
    await this.#connection.query('PgCursorStore.setup()', { text: this.#statements.setup }, Math.max(this.#connection.timeoutMs, 10_000));
  }

  async load(jobId: string): Promise<StoredCursor | null> {
    assertJobId(jobId, 'PgCursorStore.load');
    const where = `PgCursorStore.load(${JSON.stringify(jobId)})`;
    const rows = await this.#connection.query<{ fence: string; cursor: string }>(where, this.#statements.load(jobId));
    const row = rows[0];
    if (row === undefined) return null;
    const fence = Number(row.fence);
    if (!Number.isSafeInteger(fence)) {
      throw storeBackendError(where, `the stored fence ${row.fence} is above Number.MAX_SAFE_INTEGER; fences are JavaScript safe integers`);
    }
    return { cursor: JSON.parse(row.cursor) as JsonValue, fence };
  }

  async save(jobId: string, cursor: JsonValue, fence: number): Promise<CursorSaveResult> {
    assertJobId(jobId, 'PgCursorStore.save');
    assertCursor(cursor, 'PgCursorStore.save');
    assertFence(fence, 'PgCursorStore.save');
    const rows = await this.#connection.query(`PgCursorStore.save(${JSON.stringify(jobId)})`, this.#statements.save(jobId, fence, JSON.stringify(cursor)));
    return rows.length === 1 ? 'saved' : 'stale';
  }

  /** Ends the pool made from `connectionString`; a given `pool` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}
