import { afterAll, describe, test } from 'vitest';
import { cursorStoreSuite } from '../../poller/src/testing/cursor-store-rules.js';
import { PgCursorStore } from '../src/index.js';
import { DATABASE_URL, dropTable, uniqueTable } from './support/database.js';

const tables: string[] = [];
const opened: PgCursorStore[] = [];
const tableOf = new WeakMap<object, string>();

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const table of tables) await dropTable(table);
});

function open(table: string): PgCursorStore {
  const store = new PgCursorStore({ connectionString: DATABASE_URL, table });
  tableOf.set(store, table);
  opened.push(store);
  return store;
}

cursorStoreSuite(
  { test, describe },
  {
    name: 'PgCursorStore',
    async create() {
      const table = uniqueTable();
      tables.push(table);
      const store = open(table);
      await store.setup();
      return store;
    },
    reopen: (store) => open(tableOf.get(store)!),
    destroy: (store) => (store as PgCursorStore).close(),
  },
);
