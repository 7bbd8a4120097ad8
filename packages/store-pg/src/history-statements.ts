import pg, { type QueryConfig } from 'pg';
import type { CheckedHistoryQuery } from '@belfry/internal';
import type { RunRecord } from '@belfry/plugin-api';

/** Most expired runs one append deletes; the rest go on later appends, and no query returns them meanwhile. */
export const AGE_PRUNE_BATCH = 1000;

/** The server's clock in ms since the epoch: run ages are measured on it, never on a node's. */
const SERVER_NOW_MS = `floor(extract(epoch FROM now()) * 1000)::bigint`;

/** A number spliced into SQL text: only ever a validated safe integer. */
function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
  return String(value);
}

/**
 * One run's row as SQL literals. Strings are escaped by pg's
 * `escapeLiteral`; the record goes in as its JSON text, which `json` keeps
 * as is (escapes such as `\u0000` included, which `jsonb` or a JSON
 * function would refuse).
 */
function runValues(run: RunRecord): string {
  const text = (value: string): string => pg.escapeLiteral(value);
  return `(${text(run.id)}, ${integer(run.startedAt)}, ${text(run.plugin)}, ${text(run.scheduleId)}, ${text(run.nodeId)}, ${text(run.outcome)}, ${text(JSON.stringify(run))}::json)`;
}

/** The statements of the run history. */
export interface HistoryStatements {
  setup: string;
  /** A script of two statements, for `PgConnection.script`. */
  append(runs: readonly RunRecord[], maxRuns: number, maxAgeMs: number): string;
  query(query: CheckedHistoryQuery, maxAgeMs: number): QueryConfig;
}

/**
 * No statement keeps session state (no SET, no named prepared statement),
 * so each runs unchanged through PgBouncer in transaction mode; the
 * append script is one implicit transaction, which PgBouncer keeps on one
 * server connection.
 *
 * Runs are ordered newest first by `(started_at, id)`; `id` is
 * `COLLATE "C"`, so ids compare bytewise as the contract asks. The
 * filter columns sit beside the record (kept as `json`, its text as
 * appended) so a query never parses a record it does not return.
 *
 * `counter` (one row) holds how many runs the table has: every statement
 * that inserts or deletes runs moves it by the rows it actually inserted or
 * deleted, so retention by count costs what the append adds, not a walk
 * over `maxRuns` entries.
 */
export function historyStatements(table: string, counter: string): HistoryStatements {
  return {
    // The table and its indexes are made together, in one block, so an
    // existing table always has them; a concurrent setup's duplicate error
    // means another node made them. The count is taken afresh at every
    // setup, which mends it if runs were deleted by hand.
    setup: `DO $setup$ BEGIN
  IF to_regclass('${table}') IS NULL THEN
    CREATE TABLE ${table} (
      id text COLLATE "C" PRIMARY KEY,
      started_at bigint NOT NULL,
      plugin text NOT NULL,
      schedule_id text NOT NULL,
      node_id text NOT NULL,
      outcome text NOT NULL,
      run json NOT NULL
    );
    -- Serves the order, paging, pruning, and the outcome and node filters.
    CREATE INDEX ON ${table} (started_at DESC, id DESC);
    -- Serves the plugin and plugin + schedule filters (a dashboard's usual views) without a scan.
    CREATE INDEX ON ${table} (plugin, schedule_id, started_at DESC, id DESC);
  END IF;
  CREATE TABLE IF NOT EXISTS ${counter} (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), runs bigint NOT NULL);
  INSERT INTO ${counter} (runs) VALUES (0) ON CONFLICT (singleton) DO NOTHING;
  -- Each statement here reads a fresh snapshot: once the count row is
  -- locked, every append that moved it has committed, and the count taken
  -- next includes exactly their rows.
  PERFORM FROM ${counter} FOR UPDATE;
  UPDATE ${counter} SET runs = (SELECT count(*) FROM ${table});
EXCEPTION WHEN unique_violation OR duplicate_table OR duplicate_object THEN NULL;
END $setup$`,
    // Two statements sent as one script, which PostgreSQL runs as one
    // implicit transaction (one round trip, one commit), each statement
    // with a snapshot of its own. A script takes no parameters, so the
    // values travel as escaped literals. The insert moves the run count,
    // locking its row until the commit, so appends take turns there; the
    // prune then sees every append committed before this one, and retention
    // holds exactly once the append resolves.
    //
    // The prune deletes the oldest runs beyond maxRuns and, up to
    // AGE_PRUNE_BATCH, runs older than maxAgeMs by the server's clock, both
    // read off the order index from its old end. The count moves by the
    // rows actually deleted, so it stays exact whatever races.
    append: (runs, maxRuns, maxAgeMs) => `WITH inserted AS (
  INSERT INTO ${table} (id, started_at, plugin, schedule_id, node_id, outcome, run)
  VALUES ${runs.map(runValues).join(',\n    ')}
  ON CONFLICT (id) DO NOTHING
  RETURNING 1
)
UPDATE ${counter} SET runs = runs + (SELECT count(*) FROM inserted) RETURNING runs;
WITH excess AS (
  SELECT id FROM ${table} ORDER BY started_at, id LIMIT (SELECT greatest(runs - ${integer(maxRuns)}, 0) FROM ${counter})
), aged AS (
  SELECT id FROM ${table} WHERE started_at < ${SERVER_NOW_MS} - ${integer(maxAgeMs)} ORDER BY started_at, id LIMIT ${AGE_PRUNE_BATCH}
), deleted AS (
  -- An array, not IN (subquery): each id is looked up by the primary key, where a join could scan the table.
  DELETE FROM ${table} WHERE id = ANY (ARRAY(SELECT id FROM excess UNION SELECT id FROM aged)) RETURNING 1
)
UPDATE ${counter} SET runs = runs - (SELECT count(*) FROM deleted) RETURNING runs`,
    query: (query, maxAgeMs) => {
      const values: unknown[] = [maxAgeMs, query.limit + 1];
      const where = [`started_at >= ${SERVER_NOW_MS} - $1`];
      const filters = [
        ['plugin', query.plugin],
        ['schedule_id', query.scheduleId],
        ['outcome', query.outcome],
        ['node_id', query.nodeId],
      ] as const;
      for (const [column, value] of filters) {
        if (value === undefined) continue;
        values.push(value);
        where.push(`${column} = $${values.length}`);
      }
      if (query.before !== null) {
        values.push(query.before.startedAt, query.before.id);
        where.push(`(started_at, id) < ($${values.length - 1}::bigint, $${values.length}::text COLLATE "C")`);
      }
      // One row beyond the page tells whether an older match exists.
      return {
        text: `SELECT run::text AS run FROM ${table} WHERE ${where.join(' AND ')} ORDER BY started_at DESC, id DESC LIMIT $2`,
        values,
      };
    },
  };
}
