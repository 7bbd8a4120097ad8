import type { QueryConfig } from 'pg';

/** The statements of the snapshot store, for one quoted table name. */
export interface SnapshotStatements {
  setup: string;
  load(id: string): QueryConfig;
  save(id: string, version: number, fence: number, checksum: Buffer, bytes: Buffer, fenced: boolean): QueryConfig;
  delete(id: string): QueryConfig;
  list: QueryConfig;
}

/**
 * Every statement is a single one with no session state, so each runs
 * unchanged through PgBouncer in transaction mode (see cursor-statements.ts).
 *
 * Payloads are `bytea`, written as the parameter's bytes and read back as
 * base64 text: a pool's own type parsers cannot change what a snapshot
 * loads as, and base64 is smaller on the wire than bytea's hex output.
 */
export function snapshotStatements(table: string): SnapshotStatements {
  const upsert = `INSERT INTO ${table} AS stored (id, version, fence, checksum, bytes) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, fence = EXCLUDED.fence, checksum = EXCLUDED.checksum, bytes = EXCLUDED.bytes, saved_at = now()`;
  return {
    setup: `DO $setup$ BEGIN
  CREATE TABLE IF NOT EXISTS ${table} (
    id text PRIMARY KEY,
    version bigint NOT NULL CHECK (version BETWEEN 1 AND 4294967295),
    fence bigint NOT NULL CHECK (fence >= 0),
    checksum bytea NOT NULL,
    bytes bytea NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
  );
EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;
END $setup$`,
    load: (id) => ({
      text: `SELECT version::text AS version, fence::text AS fence, encode(checksum, 'base64') AS checksum, encode(bytes, 'base64') AS bytes FROM ${table} WHERE id = $1`,
      values: [id],
    }),
    // Compare and set in one statement, as the cursor store does: of two
    // concurrent fenced saves the lower fence never overwrites the higher.
    // No row returned means a higher fence is stored.
    save: (id, version, fence, checksum, bytes, fenced) => ({
      text: `${upsert}${fenced ? '\nWHERE stored.fence <= EXCLUDED.fence' : ''}\nRETURNING fence`,
      values: [id, version, fence, checksum, bytes],
    }),
    delete: (id) => ({ text: `DELETE FROM ${table} WHERE id = $1`, values: [id] }),
    list: { text: `SELECT id FROM ${table}` },
  };
}
