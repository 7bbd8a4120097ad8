import type { QueryConfig } from 'pg';
import type { ControlTarget, PauseOptions } from '@belfry/plugin-api';

/** The key of the row counting changes; target keys start with `schedule:` or `poller_job:`, so none can be it. */
const VERSION_KEY = 'version';

/** A row of the paused list as read, with the version it was read at. */
export interface PausedRow {
  version: string;
  target: string | null;
  paused_by: string | null;
  reason: string | null;
  paused_at: string | null;
}

/** The statements of cluster control, for one quoted table name and its NOTIFY channel. */
export interface ControlStatements {
  setup: string;
  pause(key: string, target: ControlTarget, options: PauseOptions | undefined): QueryConfig;
  resume(key: string): QueryConfig;
  read: QueryConfig;
}

/**
 * One table holds a row per paused target and one row counting changes.
 * Every change bumps the count in the same statement, taking that row's
 * lock first (so concurrent changes queue on it and never deadlock), and
 * sends `NOTIFY` on `channel` with the new count, delivered at commit. A
 * read returns the count and the list from one snapshot, so a watcher told
 * a higher count always gets the newer list. Every statement is a single
 * one with no session state: they all run through PgBouncer in
 * transaction mode (only LISTEN does not; see PgControl).
 */
export function controlStatements(table: string, channel: string): ControlStatements {
  const bump = `bump AS (UPDATE ${table} SET version = version + 1 WHERE key = '${VERSION_KEY}' RETURNING version)`;
  return {
    setup: `DO $setup$ BEGIN
  CREATE TABLE IF NOT EXISTS ${table} (
    key text COLLATE "C" PRIMARY KEY,
    target json,
    paused_by text,
    reason text,
    paused_at timestamptz,
    version bigint
  );
  INSERT INTO ${table} (key, version) VALUES ('${VERSION_KEY}', 0) ON CONFLICT (key) DO NOTHING;
EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;
END $setup$`,
    // The upsert reads from `bump`, so it runs after the count row is locked.
    pause: (key, target, options) => ({
      text: `WITH ${bump}, paused AS (
  INSERT INTO ${table} (key, target, paused_by, reason, paused_at)
  SELECT $1, $2::json, $3, $4, now() FROM bump
  ON CONFLICT (key) DO UPDATE SET target = EXCLUDED.target, paused_by = EXCLUDED.paused_by, reason = EXCLUDED.reason, paused_at = EXCLUDED.paused_at
  RETURNING 1
)
SELECT pg_notify($5, version::text), (SELECT count(*) FROM paused) AS written FROM bump`,
      values: [key, JSON.stringify(target), options?.by ?? null, options?.reason ?? null, channel],
    }),
    // A resume of a target that is not paused still bumps the count: watchers
    // may be told an unchanged list, and the lock order stays the same.
    resume: (key) => ({
      text: `WITH ${bump}, resumed AS (
  DELETE FROM ${table} WHERE key = $1 AND EXISTS (SELECT 1 FROM bump) RETURNING 1
)
SELECT pg_notify($2, version::text), (SELECT count(*) FROM resumed) AS written FROM bump`,
      values: [key, channel],
    }),
    read: {
      text: `SELECT counter.version::text AS version, paused.target::text AS target, paused.paused_by, paused.reason,
  floor(extract(epoch FROM paused.paused_at) * 1000)::text AS paused_at
FROM ${table} AS counter LEFT JOIN ${table} AS paused ON paused.key <> '${VERSION_KEY}'
WHERE counter.key = '${VERSION_KEY}'`,
    },
  };
}
