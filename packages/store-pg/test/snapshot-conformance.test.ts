import { afterAll, beforeAll, describe, test } from 'vitest';
import { snapshotStoreSuite, type SnapshotStoreLike } from '@belfry/conformance';
// The PgBouncer helper lives with locking-pg's tests, which run through the same kind of pooler.
import { startPgBouncer } from '../../locking-pg/test/pgbouncer.mjs';
import { PgSnapshotStore } from '../src/index.js';
import { DATABASE_URL, dropTable, uniqueTable } from './support/database.js';

const tables: string[] = [];
const opened: PgSnapshotStore[] = [];
const reopenOf = new WeakMap<object, () => PgSnapshotStore>();

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const table of tables) await dropTable(table);
});

function target(name: string, connectionString: () => string) {
  const open = (table: string): PgSnapshotStore => {
    // Rules write 5 MB payloads; a busy machine may take more than the default second.
    const store = new PgSnapshotStore({ connectionString: connectionString(), table, timeoutMs: 10_000 });
    reopenOf.set(store, () => open(table));
    opened.push(store);
    return store;
  };
  return {
    name,
    capabilities: { persistent: true, fenced: true },
    factory: {
      async create(): Promise<SnapshotStoreLike> {
        const table = uniqueTable();
        tables.push(table);
        const store = open(table);
        await store.setup();
        return store;
      },
      reopen: (store: SnapshotStoreLike) => reopenOf.get(store)!(),
      destroy: (store: SnapshotStoreLike) => (store as PgSnapshotStore).close(),
    },
  };
}

snapshotStoreSuite({ test, describe }, target('PgSnapshotStore', () => DATABASE_URL));

describe('through PgBouncer in transaction pooling mode, every client on one server connection', () => {
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  beforeAll(async () => {
    bouncer = await startPgBouncer();
  });
  afterAll(async () => {
    // The stores' pools go first, or PgBouncer waits for their connections.
    await Promise.all(opened.map((store) => store.close()));
    await bouncer?.stop();
  });
  snapshotStoreSuite({ test, describe }, target('PgSnapshotStore through PgBouncer', () => bouncer.singleUrl));
});
