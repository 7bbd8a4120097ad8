// Targets for `belfry-conformance` (run by `pnpm conformance` at the repo root).
// Not shipped: it imports the built package and needs the PostgreSQL at DATABASE_URL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgCursorStore, PgSnapshotStore } from './dist/index.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropTable(table) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
  } finally {
    await client.end();
  }
}

/** A factory making each store on a fresh table, reopening it on the same one. */
function factory(Store, options = {}) {
  const tableOf = new WeakMap();
  const open = (table) => {
    const store = new Store({ connectionString: DATABASE_URL, table, ...options });
    tableOf.set(store, table);
    return store;
  };
  return {
    async create() {
      const store = open(`conformance_${randomBytes(6).toString('hex')}`);
      await store.setup();
      return store;
    },
    reopen: (store) => open(tableOf.get(store)),
    async destroy(store) {
      await store.close();
      await dropTable(tableOf.get(store));
    },
  };
}

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default [
  // Rules write 5 MB payloads: a busy machine may need more than the default second per call.
  { name: 'PgSnapshotStore', snapshotStore: { factory: factory(PgSnapshotStore, { timeoutMs: 10_000 }), capabilities: { persistent: true, fenced: true } } },
  { name: 'PgCursorStore', cursorStore: { factory: factory(PgCursorStore), capabilities: { persistent: true } } },
];
