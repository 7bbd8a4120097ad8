/** Quoted, schema-qualified names the statements use. */
export interface LeaseRelations {
  /** e.g. `"public"."belfry_locks"` */
  table: string;
  /** e.g. `"public"."belfry_locks_fence_seq"` */
  sequence: string;
}

/**
 * The lease-mode SQL. Each call is a single parameterised statement in its
 * own implicit transaction: no session state, so it runs unchanged through
 * PgBouncer's transaction pooling (where it is sent unnamed; LeaseMode
 * prepares it only on direct sessions). Keys and tokens are always
 * parameters, never SQL text.
 *
 * Every statement reads its rows through `bounded`, a one-row subquery
 * that sets `lock_timeout` for the current transaction only. The planner
 * must produce that row before any lock row reaches the insert, update or
 * delete, so a row lock held by a stuck session makes the statement fail
 * after the bound instead of waiting forever.
 *
 * Time is always `clock_timestamp()` — the database's clock at the moment
 * the row is examined (after any lock wait), never a node's clock.
 */
export function leaseStatements({ table, sequence }: LeaseRelations) {
  const leaseFrom = (ttl: string): string => `clock_timestamp() + ${ttl}::float8 * interval '1 millisecond'`;
  return {
    /**
     * Acquire ($1 key hash, $2 key, $3 token, $4 ttl ms, $5 lock_timeout).
     * Inserts the row, or takes over an existing one only when its lease
     * has already expired on the database clock (or it carries this same
     * token: a retry after a lost reply). Returns no row on contention.
     *
     * The fence is drawn in RETURNING, i.e. after the row is won: a
     * previous holder drew its fence before its row became visible, a
     * later one can only draw after this row is gone or expired, so fences
     * follow the order of holding even when a release lands between this
     * statement's start and its insert.
     */
    acquire: `INSERT INTO ${table} AS held (key_hash, key, token, expires_at)
SELECT $1::bytea, $2::text, $3::text, ${leaseFrom('$4')}
FROM (SELECT set_config('lock_timeout', $5::text, true) AS applied) AS bounded
ON CONFLICT (key_hash) DO UPDATE
  SET key = EXCLUDED.key, token = EXCLUDED.token, expires_at = ${leaseFrom('$4')}
  WHERE held.expires_at <= clock_timestamp() OR held.token = EXCLUDED.token
RETURNING nextval('${sequence}') AS fence`,

    /**
     * Renew ($1 key hash, $2 token, $3 ttl ms, $4 lock_timeout). Extends
     * only a lease that is still live and still this token's: an expired
     * row is never revived, even when nobody has taken the key since.
     */
    renew: `UPDATE ${table} AS held SET expires_at = ${leaseFrom('$3')}
FROM (SELECT set_config('lock_timeout', $4::text, true) AS applied) AS bounded
WHERE held.key_hash = $1::bytea AND held.token = $2::text AND held.expires_at > clock_timestamp()
  AND bounded.applied IS NOT NULL`,

    /**
     * Release ($1 key hash, $2 token, $3 lock_timeout). Deletes only the
     * caller's own row, and commits without waiting for the WAL flush
     * (`synchronous_commit = off` for this transaction only): a release is
     * the one write whose loss is safe. Should the server crash before the
     * flush, the row comes back after recovery with a token nobody holds and
     * blocks the key until its lease ends on the database clock, as a
     * crashed holder's row would. It cannot be lost behind a later write:
     * WAL is flushed in order, so the next durable commit (say the acquire
     * that takes the key over) makes it durable first.
     */
    release: `DELETE FROM ${table} AS held
USING (SELECT set_config('lock_timeout', $3::text, true) AS applied,
              set_config('synchronous_commit', 'off', true) AS unflushed) AS bounded
WHERE held.key_hash = $1::bytea AND held.token = $2::text AND bounded.applied IS NOT NULL`,
  };
}
