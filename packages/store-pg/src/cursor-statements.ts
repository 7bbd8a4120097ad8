import type { QueryConfig } from 'pg';

/** The statements of the cursor store, for one quoted table name. */
export interface CursorStatements {
  setup: string;
  load(jobId: string): QueryConfig;
  save(jobId: string, fence: number, cursorJson: string): QueryConfig;
}

/**
 * Every statement is a single one with no session state (no SET, no named
 * prepared statement, no explicit transaction), so each runs unchanged
 * through PgBouncer in transaction mode.
 *
 * The cursor is `json`, not `jsonb`: `json` keeps the text as saved, so a
 * cursor loads back with its keys in their order, where `jsonb` would sort
 * them and drop duplicates.
 */
export function cursorStatements(table: string): CursorStatements {
  return {
    // Two nodes running setup at once may both find the table missing; the
    // loser's duplicate error means the table is there, which is the goal.
    setup: `DO $setup$ BEGIN
  CREATE TABLE IF NOT EXISTS ${table} (
    job_id text PRIMARY KEY,
    fence bigint NOT NULL CHECK (fence >= 0),
    cursor json NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
  );
EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;
END $setup$`,
    // Text out, parsed here: a pool's own type parsers cannot change what a cursor loads as.
    load: (jobId) => ({ text: `SELECT fence::text AS fence, cursor::text AS cursor FROM ${table} WHERE job_id = $1`, values: [jobId] }),
    // Compare and set in one statement: the conflicting row is locked and its
    // latest version checked, so of two concurrent saves the lower fence can
    // never overwrite the higher. No row returned means a higher fence is stored.
    save: (jobId, fence, cursorJson) => ({
      text: `INSERT INTO ${table} AS stored (job_id, fence, cursor) VALUES ($1, $2, $3::json)
ON CONFLICT (job_id) DO UPDATE SET fence = EXCLUDED.fence, cursor = EXCLUDED.cursor, saved_at = now()
WHERE stored.fence <= EXCLUDED.fence
RETURNING fence`,
      values: [jobId, fence, cursorJson],
    }),
  };
}
