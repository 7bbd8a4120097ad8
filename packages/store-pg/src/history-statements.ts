import type { QueryConfig } from 'pg';
import type { CheckedHistoryQuery } from '@belfry/internal';
import type { RunRecord } from '@belfry/plugin-api';

/** Most expired runs one append deletes; the rest go on later appends, and no query returns them meanwhile. */
export const AGE_PRUNE_BATCH = 1000;

/** The server's clock in ms since the epoch: run ages are measured on it, never on a node's. */
const SERVER_NOW_MS = `floor(extract(epoch FROM now()) * 1000)::bigint`;

/** The statements of the run history, for one quoted table name. */
export interface HistoryStatements {
  setup: string;
  append(runs: readonly RunRecord[]): QueryConfig;
  prune(maxRuns: number, maxAgeMs: number): QueryConfig;
  query(query: CheckedHistoryQuery, maxAgeMs: number): QueryConfig;
}

/**
 * Every statement is a single one with no session state, so each runs
 * unchanged through PgBouncer in transaction mode.
 *
 * Runs are ordered newest first by `(started_at, id)`; `id` is
 * `COLLATE "C"`, so ids compare bytewise as the contract asks. The
 * filter columns sit beside the record (kept as `json`, its text as
 * appended) so a query never parses a record it does not return.
 */
export function historyStatements(table: string): HistoryStatements {
  return {
    // The table and its indexes are made together, in one block, so an
    // existing table always has them; a concurrent setup's duplicate error
    // means another node made them.
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
EXCEPTION WHEN unique_violation OR duplicate_table OR duplicate_object THEN NULL;
END $setup$`,
    // One row per record, from parallel arrays; a run id already stored keeps its first record.
    append: (runs) => ({
      text: `INSERT INTO ${table} (id, started_at, plugin, schedule_id, node_id, outcome, run)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::json[])
ON CONFLICT (id) DO NOTHING`,
      values: [
        runs.map((run) => run.id),
        runs.map((run) => run.startedAt),
        runs.map((run) => run.plugin),
        runs.map((run) => run.scheduleId),
        runs.map((run) => run.nodeId),
        runs.map((run) => run.outcome),
        runs.map((run) => JSON.stringify(run)),
      ],
    }),
    // Runs past the newest maxRuns (found by walking maxRuns entries of the
    // order index) and, up to AGE_PRUNE_BATCH, runs older than maxAgeMs by
    // the server's clock, oldest first.
    prune: (maxRuns, maxAgeMs) => ({
      text: `WITH boundary AS (
  SELECT started_at, id FROM ${table} ORDER BY started_at DESC, id DESC OFFSET $1 LIMIT 1
), beyond AS (
  SELECT kept.id FROM ${table} AS kept, boundary WHERE (kept.started_at, kept.id) <= (boundary.started_at, boundary.id COLLATE "C")
), aged AS (
  SELECT id FROM ${table} WHERE started_at < ${SERVER_NOW_MS} - $2 ORDER BY started_at, id LIMIT ${AGE_PRUNE_BATCH}
)
DELETE FROM ${table} WHERE id IN (SELECT id FROM beyond UNION SELECT id FROM aged)`,
      values: [maxRuns, maxAgeMs],
    }),
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
