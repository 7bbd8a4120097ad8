import { randomBytes } from 'node:crypto';
import type { Control, Presence, RunHistory, RunHistoryOptions } from '@belfry/plugin-api';
import { PgControl, PgPresence, PgRunHistory } from '../../src/index.js';
import { admin, dropTable } from './database.js';

/** A lowercase table name no other test (or test run) uses. */
export function uniqueClusterTable(kind: string): string {
  return `${kind}_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** The server's clock, ms since the epoch: what the stores measure ages and TTLs on. */
export async function serverNow(): Promise<number> {
  const [row] = await admin<{ now: string }>('SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::text AS now');
  return Number(row!.now);
}

type Closable = { close(): Promise<void> };

/**
 * Opens stores on a fresh table per rule and peers on the same table;
 * `tables` collects the tables made, to drop after the file.
 */
function makeFactory<Store extends Closable, Options>(kind: string, tables: string[], open: (table: string, options: Options) => Store & { setup(): Promise<void> }) {
  const tableOf = new WeakMap<object, { table: string; options: Options }>();
  return {
    async create(options: Options): Promise<Store> {
      const table = uniqueClusterTable(kind);
      tables.push(table);
      const store = open(table, options);
      tableOf.set(store, { table, options });
      await store.setup();
      return store;
    },
    peer(store: Store): Store {
      const { table, options } = tableOf.get(store)!;
      const other = open(table, options);
      tableOf.set(other, { table, options });
      return other;
    },
    now: () => serverNow(),
    destroy: (store: Store) => store.close(),
  };
}

/** The three cluster-store targets on `connectionString` (a direct server or a PgBouncer). */
export function clusterTargets(label: string, connectionString: () => string, tables: string[], control: { listen: boolean; pollIntervalMs: number }) {
  return {
    history: {
      name: `PgRunHistory ${label}`,
      shortMs: 200,
      factory: makeFactory<RunHistory & Closable, Required<RunHistoryOptions>>('runs', tables, (table, options) => new PgRunHistory({ connectionString: connectionString(), table, ...options })),
    },
    presence: {
      name: `PgPresence ${label}`,
      shortMs: 200,
      factory: makeFactory<Presence & Closable, undefined>('nodes', tables, (table) => new PgPresence({ connectionString: connectionString(), table })),
    },
    control: {
      name: `PgControl ${label}`,
      shortMs: 200,
      factory: makeFactory<Control & Closable, undefined>('control', tables, (table) => new PgControl({ connectionString: connectionString(), table, ...control })),
    },
  };
}

/** Drops every table in `tables`. */
export async function dropTables(tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await dropTable(table);
    await dropTable(`${table}_count`);
  }
}
