import type { QueryConfig } from 'pg';
import { preparedName } from './prepared-name.js';

/** A statement prepared once per connection: advisory mode runs on direct sessions only. */
type Prepared = Required<Pick<QueryConfig, 'name' | 'text'>>;

function prepared(text: string): Prepared {
  return { name: preparedName(text), text };
}

/** The advisory-mode SQL; `sequence` is the quoted, schema-qualified fence sequence. */
export function advisoryStatements(sequence: string) {
  return {
    /**
     * Acquire ($1 lock id, $2 the backend pid the connection was given at
     * startup). The fence is drawn only once the lock is won, so fences
     * follow the order of holding; a null fence is contention. The same
     * statement checks for a pooler (see `AdvisoryMode`): when the server's
     * pid is not the announced one, CASE — which evaluates its branches in
     * order and no further than needed — returns before any lock is taken,
     * and `pid` tells the caller why.
     */
    acquire: prepared(`SELECT pg_backend_pid() AS pid,
  CASE WHEN pg_backend_pid() IS DISTINCT FROM $2::int THEN NULL
       WHEN pg_try_advisory_lock($1::bigint) THEN nextval('${sequence}') END AS fence`),
    /**
     * Whether this session still holds the lock ($1 high, $2 low 32 bits of
     * the lock id: pg_locks shows a bigint lock as two oids, objsubid 1).
     */
    held: prepared(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
  AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1 AND granted) AS held`),
    /** Release ($1 lock id). */
    unlock: prepared('SELECT pg_advisory_unlock($1::bigint) AS unlocked'),
  };
}
