import type { Clock } from '@belfry/plugin-api';
import type { Pool } from 'pg';

/**
 * How locks are kept in PostgreSQL.
 *
 * - `'lease'`: one row per held key with a random token and an expiry taken
 *   from the database clock. No connection is held between calls; works
 *   through PgBouncer in transaction pooling mode.
 * - `'advisory'`: a session advisory lock on a 64-bit hash of the key, held
 *   on a connection pinned for as long as the lock is held. Needs direct
 *   connections (no transaction-pooling proxy).
 */
export type PgLockMode = 'lease' | 'advisory';

/** Options of `new PgLocking(options)`. Exactly one of `pool` or `connectionString` is required. */
export interface PgLockingOptions {
  /**
   * A node-postgres pool you own. PgLocking borrows connections from it and
   * never ends it (`cleanup()` leaves it open). Give it an `'error'`
   * listener: idle connections that the server drops emit one.
   * No default.
   */
  pool?: Pool;
  /**
   * A well-formed `postgres://` or `postgresql://` URL with a host; PgLocking
   * then creates, configures and owns its pool (ended by `cleanup()`).
   * Malformed URLs and libpq `key=value` strings are refused; for those,
   * pass a `pool`. No default.
   */
  connectionString?: string;
  /** `'lease'` or `'advisory'`; see {@link PgLockMode}. Default `'lease'`. */
  mode?: PgLockMode;
  /** Schema of the lock table and fence sequence; created by `setup()` when missing. Default `'public'`. */
  schema?: string;
  /** Lock table (lease mode). A plain identifier: letters, digits, `_`, at most 63 characters. Default `'belfry_locks'`. */
  table?: string;
  /** Sequence fences are drawn from (both modes). Default `'<table>_fence_seq'`, i.e. `'belfry_locks_fence_seq'`. */
  sequence?: string;
  /**
   * Prepended to every key before it reaches the database, so several
   * applications can share one table or one advisory lock space without
   * colliding. At most 256 characters. Default `'belfry:lock:'`, as in
   * `@belfry/locking-redis`.
   */
  keyPrefix?: string;
  /**
   * Deadline in milliseconds of every `tryLock` / `renew` / `release`:
   * waiting for a connection, connecting, running the statement (row-lock
   * waits included) and cancelling it when it overruns. A call that exceeds
   * it rejects with `LockBackendError`. This bound applies to a pool you pass
   * in as well. `supports.maxCallMs` is `timeoutMs + 1000`. `setup()` allows
   * `max(timeoutMs, 10000)`. Default `1000`.
   */
  timeoutMs?: number;
  /**
   * Size of the pool PgLocking creates from `connectionString`. In advisory
   * mode every held lock pins one connection, so this is also the most
   * locks one instance can hold at once. Ignored with `pool`. Default `10`.
   */
  maxConnections?: number;
  /**
   * Connections of the pool PgLocking creates that are kept open while
   * idle, so calls after a quiet spell need not connect first. Connections
   * above it close after `idleTimeoutMs` unused. At most `maxConnections`.
   * Ignored with `pool`. Default `1`.
   */
  minConnections?: number;
  /**
   * Milliseconds an idle connection above `minConnections` stays open in
   * the pool PgLocking creates. A connection pinned by an advisory lock is
   * never idle: it stays open for as long as the lock is held. Ignored with
   * `pool` (configure `min` / `idleTimeoutMillis` on your pool). Default
   * `10000`.
   */
  idleTimeoutMs?: number;
  /** `application_name` of the connections PgLocking creates. Ignored with `pool`. Default `'belfry-locking-pg'`. */
  applicationName?: string;
  /**
   * Time source for the advisory-mode TTL timer (the holder lets the lock
   * go when it is not renewed in time). Lease mode expires rows on the
   * database clock and does not use it. Default `systemClock`.
   */
  clock?: Clock;
  /** Backend name reported as `locking.name`. Default `'pg'`. */
  name?: string;
}
