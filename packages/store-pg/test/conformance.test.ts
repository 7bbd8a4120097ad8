import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CursorStore } from '@belfry/plugin-api';
// The PgBouncer helper lives with locking-pg's tests, which run through the same kind of pooler.
import { cursorStoreSuite } from '@belfry/conformance';
import { startPgBouncer } from '../../locking-pg/test/pgbouncer.mjs';
import { PgCursorStore } from '../src/index.js';
import { DATABASE_URL, dropTable, uniqueTable } from './support/database.js';

const tables: string[] = [];
const opened: PgCursorStore[] = [];
const reopenOf = new WeakMap<object, () => PgCursorStore>();

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const table of tables) await dropTable(table);
});

function target(name: string, connectionString: () => string) {
  const open = (table: string): PgCursorStore => {
    const store = new PgCursorStore({ connectionString: connectionString(), table });
    reopenOf.set(store, () => open(table));
    opened.push(store);
    return store;
  };
  return {
    name,
    capabilities: { persistent: true },
    factory: {
      async create(): Promise<CursorStore> {
        const table = uniqueTable();
        tables.push(table);
        const store = open(table);
        await store.setup();
        return store;
      },
      reopen: (store: CursorStore) => reopenOf.get(store)!(),
      destroy: (store: CursorStore) => (store as PgCursorStore).close(),
    },
  };
}

cursorStoreSuite({ test, describe }, target('PgCursorStore', () => DATABASE_URL));

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
  cursorStoreSuite({ test, describe }, target('PgCursorStore through PgBouncer', () => bouncer.singleUrl));
});
