import { createHash } from 'node:crypto';

/** A key prefix of a plain name and a colon (the default `belfry:`) names its tables after the name. */
const PLAIN_PREFIX = /^([A-Za-z_][A-Za-z0-9_]{0,39}):$/;

/** Table names of the PostgreSQL run history, presence and control stores. */
export interface PgStoreTables {
  history: string;
  presence: string;
  control: string;
}

/**
 * The PostgreSQL cluster store tables of a lock key prefix, so clusters that
 * share no locks share no history, nodes or pauses either (as on Redis,
 * where the stores' keys carry the prefix). `belfry:` gives the stores'
 * default tables (`belfry_runs`, `belfry_nodes`, `belfry_control`), `myapp:`
 * gives `myapp_runs`…; any other prefix a name from its hash, as table
 * names are plain identifiers of at most 63 characters.
 */
export function pgStoreTables(keyPrefix: string): PgStoreTables {
  const plain = PLAIN_PREFIX.exec(keyPrefix)?.[1];
  const stem = plain ?? `belfry_${createHash('sha256').update(keyPrefix).digest('hex').slice(0, 16)}`;
  return { history: `${stem}_runs`, presence: `${stem}_nodes`, control: `${stem}_control` };
}
