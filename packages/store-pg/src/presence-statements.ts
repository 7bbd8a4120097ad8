import type { QueryConfig } from 'pg';
import type { NodeInfo } from '@belfry/plugin-api';

/** The statements of presence, for one quoted table name. */
export interface PresenceStatements {
  setup: string;
  publish(node: NodeInfo, ttlMs: number): QueryConfig;
  list: QueryConfig;
  withdraw(nodeId: string): QueryConfig;
}

/**
 * Every statement is a single one with no session state, so each runs
 * unchanged through PgBouncer in transaction mode. Times are the server's
 * (`now()`), so a node's skewed clock cannot make a live node look dead.
 */
export function presenceStatements(table: string): PresenceStatements {
  return {
    setup: `DO $setup$ BEGIN
  CREATE TABLE IF NOT EXISTS ${table} (
    node_id text COLLATE "C" PRIMARY KEY,
    node json NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  );
EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;
END $setup$`,
    // Each publish also clears other nodes' expired rows, so the table stays
    // as small as the live cluster without a sweeper.
    publish: (node, ttlMs) => ({
      text: `WITH expired AS (
  DELETE FROM ${table} WHERE expires_at <= now() AND node_id <> $1
)
INSERT INTO ${table} AS stored (node_id, node, last_seen_at, expires_at) VALUES ($1, $2::json, now(), now() + $3::double precision * interval '1 millisecond')
ON CONFLICT (node_id) DO UPDATE SET node = EXCLUDED.node, last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at`,
      values: [node.nodeId, JSON.stringify(node), ttlMs],
    }),
    list: { text: `SELECT node::text AS node, floor(extract(epoch FROM last_seen_at) * 1000)::text AS seen FROM ${table} WHERE expires_at > now()` },
    withdraw: (nodeId) => ({ text: `DELETE FROM ${table} WHERE node_id = $1`, values: [nodeId] }),
  };
}
