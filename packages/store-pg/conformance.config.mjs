// `pnpm conformance` at the repository root runs the suites against these targets.
// Needs PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
// and, for the second target, the pgbouncer binary.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPgBouncer } from '../locking-pg/test/pgbouncer.mjs';
import { PgControl, PgCursorStore, PgPresence, PgRunHistory, PgSnapshotStore } from './dist/index.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The server's clock: the stores measure ages and TTLs on it. */
const serverNow = async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::text AS now')).rows[0].now);
  } finally {
    await client.end();
  }
};

async function dropTables(tables) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of tables) await client.query(`DROP TABLE IF EXISTS "${table}"`);
  } finally {
    await client.end();
  }
}

/** A fresh table per rule; peers open the same table; the first instance, destroyed last, drops it. */
function factory(kind, extraTables, open) {
  const made = new WeakMap();
  return {
    async create(options) {
      const table = `conformance_${kind}_${process.pid}_${randomBytes(5).toString('hex')}`;
      const store = open(table, options);
      made.set(store, { table, options, first: true });
      await store.setup();
      return store;
    },
    peer(store) {
      const { table, options } = made.get(store);
      const other = open(table, options);
      made.set(other, { table, options, first: false });
      return other;
    },
    now: serverNow,
    async destroy(store) {
      await store.close();
      const { table, first } = made.get(store);
      if (first) await dropTables([table, ...extraTables.map((suffix) => `${table}${suffix}`)]);
    },
  };
}

function targets(connectionString, control) {
  return {
    runHistory: { shortMs: 200, factory: factory('runs', ['_count'], (table, retention) => new PgRunHistory({ connectionString: connectionString(), table, ...retention })) },
    presence: { shortMs: 200, factory: factory('nodes', [], (table) => new PgPresence({ connectionString: connectionString(), table })) },
    control: { shortMs: 200, factory: factory('control', [], (table) => new PgControl({ connectionString: connectionString(), table, ...control })) },
  };
}

/** A factory making a snapshot or cursor store on a fresh table, reopening it on the same one. */
function storeFactory(Store, options = {}) {
  const tableOf = new WeakMap();
  const open = (table) => {
    const store = new Store({ connectionString: url, table, ...options });
    tableOf.set(store, table);
    return store;
  };
  return {
    async create() {
      const store = open(`conformance_store_${process.pid}_${randomBytes(5).toString('hex')}`);
      await store.setup();
      return store;
    },
    reopen: (store) => open(tableOf.get(store)),
    async destroy(store) {
      await store.close();
      await dropTables([tableOf.get(store)]);
    },
  };
}

/** The PgBouncer the second target runs through; started in its setup(). */
let bouncer;

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default [
  { name: 'PgRunHistory, PgPresence, PgControl', ...targets(() => url, { listen: true }) },
  {
    name: 'PgRunHistory, PgPresence, PgControl through PgBouncer, pool_mode = transaction (listen: false)',
    async setup() {
      bouncer = await startPgBouncer();
    },
    async teardown() {
      await bouncer?.stop();
    },
    ...targets(() => bouncer.url, { listen: false, pollIntervalMs: 100 }),
  },
  // Rules write 5 MB payloads: a busy machine may need more than the default second per call.
  { name: 'PgSnapshotStore', snapshotStore: { factory: storeFactory(PgSnapshotStore, { timeoutMs: 10_000 }), capabilities: { persistent: true, fenced: true } } },
  { name: 'PgCursorStore', cursorStore: { factory: storeFactory(PgCursorStore), capabilities: { persistent: true } } },
];
