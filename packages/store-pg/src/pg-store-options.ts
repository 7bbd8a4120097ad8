import type { Pool } from 'pg';

/**
 * Options every PostgreSQL store takes. Give exactly one of `pool` or
 * `connectionString`; pass the pool your lock backend already uses to share
 * its connections.
 */
export interface PgStoreOptions {
  /**
   * A `pg` pool you own. The store borrows a connection per call, keeps no
   * session state (so PgBouncer in transaction mode works), and never ends
   * it: `close()` leaves it open.
   */
  pool?: Pool;
  /**
   * `postgres://[user[:password]@]host[:port]/database` or `postgresql://…`.
   * The store creates a pool of its own with connect timeout `timeoutMs`,
   * and `close()` ends it.
   */
  connectionString?: string;
  /**
   * Longest time, in ms, one call may take, waiting for a connection
   * included; past it the call rejects with `store_backend` and its
   * connection is destroyed, never returned to the pool. `setup()` allows
   * `max(timeoutMs, 10000)`. Default `1000`.
   */
  timeoutMs?: number;
}
