// `pnpm conformance` at the repository root runs the suites against these targets.
// Needs PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgLocking } from './dist/index.js';
import { startPgBouncer } from './test/pgbouncer.mjs';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const unique = (prefix) => `${prefix}_${process.pid}_${randomBytes(5).toString('hex')}`;
// The suite reads fences, peers and limits from PgLocking.supports.
const unreachable = () => new PgLocking({ connectionString: 'postgres://postgres:secret@127.0.0.1:1/test' });

/** Where each instance lives, so a peer can join it and destroy() can drop its table. */
const namespaces = new WeakMap();
async function open(options) {
  const locking = new PgLocking(options);
  namespaces.set(locking, options);
  await locking.setup();
  return locking;
}

async function dropTable(table) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.query(`DROP SEQUENCE IF EXISTS "${table}_fence_seq"`);
  } finally {
    await client.end();
  }
}

/** The PgBouncer the third target runs through; started in its setup(). */
let bouncer;

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default [
  {
    name: 'pg (lease)',
    locking: {
      factory: {
        create: () => open({ connectionString: url, mode: 'lease', table: unique('conformance_lease') }),
        createPeer: (plugin) => open({ ...namespaces.get(plugin) }),
        createUnreachable: unreachable,
        async destroy(plugin) {
          await plugin.cleanup();
          const table = namespaces.get(plugin)?.table;
          if (table !== undefined) await dropTable(table);
        },
      },
    },
  },
  {
    // Handles are bound to the instance whose connection holds the session
    // lock, so `peers` (which releases one client's handle through another)
    // is not claimed: there is no createPeer.
    name: 'pg (advisory)',
    locking: {
      factory: {
        create: () => open({ connectionString: url, mode: 'advisory', keyPrefix: `${unique('conformance')}:`, maxConnections: 20 }),
        createUnreachable: unreachable,
        destroy: (plugin) => plugin.cleanup(),
      },
    },
  },
  {
    // Lease mode through a real PgBouncer in transaction pooling mode (needs the pgbouncer binary).
    name: 'pg (lease) through PgBouncer, pool_mode = transaction',
    async setup() {
      bouncer = await startPgBouncer();
    },
    async teardown() {
      await bouncer?.stop();
    },
    locking: {
      factory: {
        create: () => open({ connectionString: bouncer.url, mode: 'lease', table: unique('conformance_bouncer') }),
        createPeer: (plugin) => open({ ...namespaces.get(plugin) }),
        async destroy(plugin) {
          await plugin.cleanup();
          const table = namespaces.get(plugin)?.table;
          if (table !== undefined) await dropTable(table);
        },
      },
    },
  },
];
