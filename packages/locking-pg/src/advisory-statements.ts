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
     * Acquire ($1 lock id). The fence is drawn only once the lock is won,
     * so fences follow the order of holding. Returns a null fence on
     * contention.
     */
    acquire: prepared(`SELECT CASE WHEN pg_try_advisory_lock($1::bigint) THEN nextval('${sequence}') END AS fence`),
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
