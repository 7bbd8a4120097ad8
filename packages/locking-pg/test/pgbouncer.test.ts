import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { lockingSuite } from '@belfry/conformance';
import type { LockingPlugin } from '@belfry/plugin-api';
import pg from 'pg';
import { advisoryKey, PgLocking, type PgLockingOptions } from '../src/index.js';
import { dropLockTable, splitAdvisoryKey, uniqueName, withAdmin } from './database.js';
import { countingPool } from './counting-pool.js';
import { startPgBouncer, type PgBouncer } from './pgbouncer.mjs';

let bouncer: PgBouncer;
beforeAll(async () => {
  bouncer = await startPgBouncer();
}, 30_000);
afterAll(async () => {
  await bouncer?.stop();
});

const namespaces = new WeakMap<LockingPlugin, PgLockingOptions>();
async function open(options: PgLockingOptions): Promise<PgLocking> {
  const locking = new PgLocking(options);
  namespaces.set(locking, options);
  await locking.setup();
  return locking;
}

// The whole lease-mode contract holds through PgBouncer in transaction pooling mode.
lockingSuite(
  { test, describe },
  {
    name: 'pg (lease) through PgBouncer, pool_mode = transaction',
    factory: {
      create: () => open({ connectionString: bouncer.url, table: uniqueName('bouncer_lease') }),
      createPeer: (plugin) => open({ ...namespaces.get(plugin)! }),
      async destroy(plugin) {
        await plugin.cleanup?.();
        const options = namespaces.get(plugin);
        if (options?.table !== undefined) await dropLockTable(options.table);
      },
    },
  },
);

describe('advisory mode behind PgBouncer in transaction pooling mode', () => {
  it('plain session advisory locks are not exclusive there: a second client re-enters the lock on the shared server session', async () => {
    // Why advisory mode refuses to run behind a pooler: with one server
    // connection, both clients' transactions run on the same session.
    const a = new pg.Client({ connectionString: bouncer.singleUrl });
    const b = new pg.Client({ connectionString: bouncer.singleUrl });
    await a.connect();
    await b.connect();
    try {
      const first = await a.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(424242) AS ok');
      const second = await b.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(424242) AS ok');
      expect(first.rows[0]!.ok).toBe(true);
      expect(second.rows[0]!.ok).toBe(true);
    } finally {
      await a.query('SELECT pg_advisory_unlock_all()');
      await a.end();
      await b.end();
    }
  });

  it('tryLock rejects with lock_backend naming the pooler instead of handing out a lock that is not exclusive', async () => {
    const keyPrefix = `${uniqueName('bouncer')}:`;
    const locking = new PgLocking({ connectionString: bouncer.singleUrl, mode: 'advisory', keyPrefix });
    try {
      const error = await locking.tryLock('job', 10_000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'lock_backend' });
      expect((error as Error).message).toMatch(/pooler/);
      expect((error as Error).message).toMatch(/mode 'lease'/);
      // The check runs before any lock is taken: nothing is left on the shared server session.
      const { high, low } = splitAdvisoryKey(advisoryKey(`${keyPrefix}job`));
      const left = await withAdmin((admin) =>
        admin.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objid = $2::bigint::oid`, [high, low]),
      );
      expect(left.rowCount).toBe(0);
    } finally {
      await locking.cleanup();
    }
  });

  it('lease mode through PgBouncer sends each call as one unnamed statement: a prepared one would miss on other server sessions', async () => {
    const { pool, sent } = countingPool(bouncer.url, 1);
    const table = uniqueName('bouncer_trips');
    const locking = new PgLocking({ pool, table });
    try {
      await locking.setup();
      const before = sent.length;
      const handle = (await locking.tryLock('job', 10_000))!;
      expect(await locking.tryLock('job', 10_000)).toBeNull();
      await locking.renew(handle);
      await locking.release(handle);
      expect(sent.slice(before).map(({ text, named }) => ({ verb: text.split(/\s/)[0], named }))).toEqual(
        ['INSERT', 'INSERT', 'UPDATE', 'DELETE'].map((verb) => ({ verb, named: false })),
      );
    } finally {
      await locking.cleanup();
      await pool.end();
      await dropLockTable(table);
    }
  });

  it('lease mode through the same single server connection still gives one holder per key across clients', async () => {
    const table = uniqueName('bouncer_single');
    const a = await open({ connectionString: bouncer.singleUrl, table });
    const b = await open({ connectionString: bouncer.singleUrl, table });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).tryLock('job', 10_000)));
      expect(results.filter((handle) => handle !== null)).toHaveLength(1);
    } finally {
      await a.cleanup();
      await b.cleanup();
      await dropLockTable(table);
    }
  });
});
