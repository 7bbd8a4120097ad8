import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PgLocking, PG_LOCK_MAX_KEY_LENGTH } from '../src/index.js';
import { DATABASE_URL, dropLockTable, uniqueName, withAdmin } from './database.js';
import { ManualClock } from './manual-clock.js';

const opened: { locking: PgLocking; table: string }[] = [];

async function lease(options: { table?: string; maxConnections?: number; clock?: ManualClock; keyPrefix?: string; applicationName?: string; timeoutMs?: number } = {}) {
  const table = options.table ?? uniqueName('lease');
  const locking = new PgLocking({ connectionString: DATABASE_URL, ...options, table });
  opened.push({ locking, table });
  await locking.setup();
  return { locking, table };
}

afterEach(async () => {
  const tables = new Set(opened.map((o) => o.table));
  await Promise.all(opened.splice(0).map((o) => o.locking.cleanup()));
  for (const table of tables) await dropLockTable(table);
});

/** The default keyPrefix, which every stored key starts with. */
const PREFIX = 'belfry:lock:';

/** Moves a row's expiry into the past on the database clock: expiry without waiting. */
async function expireOnServer(table: string, key: string): Promise<void> {
  await withAdmin((admin) => admin.query(`UPDATE "${table}" SET expires_at = clock_timestamp() - interval '1 millisecond' WHERE key = $1`, [PREFIX + key]));
}

describe('PgLocking lease mode', () => {
  it('stores one row per held key with a 128-bit token and an expiry from the database clock', async () => {
    const { locking, table } = await lease();
    const handle = (await locking.tryLock('reports:nightly', 60_000))!;
    expect(handle).toMatchObject({ key: 'reports:nightly', ttlMs: 60_000 });
    expect(handle.lockId).toMatch(/^[0-9a-f]{32}$/);
    const { rows } = await withAdmin((admin) =>
      admin.query<{ token: string; key_hash: Buffer; ms_left: number }>(
        `SELECT token, key_hash, EXTRACT(EPOCH FROM expires_at - clock_timestamp()) * 1000 AS ms_left FROM "${table}" WHERE key = $1`,
        [`${PREFIX}reports:nightly`],
      ),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token).toBe(handle.lockId);
    expect(rows[0]!.key_hash.equals(createHash('sha256').update(`${PREFIX}reports:nightly`).digest())).toBe(true);
    expect(Number(rows[0]!.ms_left)).toBeGreaterThan(55_000);
    expect(Number(rows[0]!.ms_left)).toBeLessThanOrEqual(60_000);
  });

  it('ignores the node clock: a node whose clock is decades off still honours the lease', async () => {
    const clock = new ManualClock(Date.UTC(1999, 0, 1));
    const { locking, table } = await lease({ clock });
    const skewed = await lease({ table, clock: new ManualClock(Date.UTC(2090, 0, 1)) });
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
    clock.advance(365 * 24 * 3600_000);
    expect(await skewed.locking.tryLock('job', 60_000)).toBeNull();
  });

  it('lets another caller take a key only once its lease has expired on the database clock', async () => {
    const { locking, table } = await lease();
    const first = (await locking.tryLock('job', 60_000))!;
    expect(await locking.tryLock('job', 60_000)).toBeNull();
    await expireOnServer(table, 'job');
    const second = (await locking.tryLock('job', 60_000))!;
    expect(second.fence!).toBeGreaterThan(first.fence!);
  });

  it('renew never revives an expired lease, even when nobody took the key', async () => {
    const { locking, table } = await lease();
    const handle = (await locking.tryLock('job', 60_000))!;
    await expireOnServer(table, 'job');
    await expect(locking.renew(handle)).rejects.toMatchObject({ code: 'lock_lost' });
    const { rows } = await withAdmin((admin) => admin.query(`SELECT expires_at <= clock_timestamp() AS expired FROM "${table}"`));
    expect(rows[0]!.expired).toBe(true);
  });

  it('renew pushes the expiry to ttl from now on the database clock', async () => {
    const { locking, table } = await lease();
    const handle = (await locking.tryLock('job', 60_000))!;
    await withAdmin((admin) => admin.query(`UPDATE "${table}" SET expires_at = clock_timestamp() + interval '1 second'`));
    await locking.renew(handle);
    const { rows } = await withAdmin((admin) =>
      admin.query<{ ms_left: number }>(`SELECT EXTRACT(EPOCH FROM expires_at - clock_timestamp()) * 1000 AS ms_left FROM "${table}"`),
    );
    expect(Number(rows[0]!.ms_left)).toBeGreaterThan(55_000);
  });

  it('release deletes only the caller’s own row: a stale handle leaves the new holder in place', async () => {
    const { locking, table } = await lease();
    const stale = (await locking.tryLock('job', 60_000))!;
    await expireOnServer(table, 'job');
    const fresh = (await locking.tryLock('job', 60_000))!;
    await locking.release(stale);
    await locking.release({ ...fresh, lockId: 'f'.repeat(32) });
    expect(await locking.tryLock('job', 60_000)).toBeNull();
    await locking.release(fresh);
    const { rowCount } = await withAdmin((admin) => admin.query(`SELECT 1 FROM "${table}"`));
    expect(rowCount).toBe(0);
  });

  it('holds a thousand locks at once with a pool of two connections, holding none between calls', async () => {
    const applicationName = uniqueName('belfry_many');
    // Ten calls in flight at a time, and waiting for a pooled connection counts against timeoutMs:
    // a deadline far above the few milliseconds each wait takes, so a busy machine cannot fail the test.
    const { locking } = await lease({ maxConnections: 2, applicationName, timeoutMs: 20_000 });
    const handles = [];
    for (let i = 0; i < 1000; i += 10) {
      handles.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => locking.tryLock(`job-${i + j}`, 60_000)))));
    }
    expect(handles.filter((handle) => handle !== null)).toHaveLength(1000);
    const { rows } = await withAdmin((admin) =>
      admin.query<{ n: string; busy: string }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE state <> 'idle') AS busy FROM pg_stat_activity WHERE application_name = $1`,
        [applicationName],
      ),
    );
    expect(Number(rows[0]!.n)).toBeLessThanOrEqual(2);
    expect(Number(rows[0]!.busy)).toBe(0);
  }, 60_000);

  it('keeps applications apart by key prefix on one table', async () => {
    const { locking, table } = await lease({ keyPrefix: 'app-a:' });
    const other = await lease({ table, keyPrefix: 'app-b:' });
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
    expect(await other.locking.tryLock('job', 60_000)).not.toBeNull();
    expect(await locking.tryLock('job', 60_000)).toBeNull();
  });

  it(`accepts keys of ${PG_LOCK_MAX_KEY_LENGTH} characters of any script, beyond what a btree entry could hold`, async () => {
    const { locking } = await lease();
    const key = '日'.repeat(PG_LOCK_MAX_KEY_LENGTH); // 12 KB of UTF-8
    const handle = (await locking.tryLock(key, 60_000))!;
    expect(handle.key).toBe(key);
    expect(await locking.tryLock(key, 60_000)).toBeNull();
    await locking.renew(handle);
    await locking.release(handle);
    expect(await locking.tryLock(key, 60_000)).not.toBeNull();
  });

  it('reports a missing table with a message that says to call setup()', async () => {
    const locking = new PgLocking({ connectionString: DATABASE_URL, table: uniqueName('missing') });
    try {
      const error = await locking.tryLock('job', 1000).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'lock_backend' });
      expect((error as Error).message).toMatch(/does not exist\. Fix: call `await locking\.setup\(\)`/);
    } finally {
      await locking.cleanup();
    }
  });

  it('statements prepared on a connection survive the table being missing, then created, dropped and created again', async () => {
    const table = uniqueName('recreated');
    // One connection, so every call below runs on the connection that prepared the statements.
    const locking = new PgLocking({ connectionString: DATABASE_URL, table, maxConnections: 1 });
    opened.push({ locking, table });
    await expect(locking.tryLock('job', 60_000)).rejects.toMatchObject({ code: 'lock_backend', message: expect.stringMatching(/does not exist/) });
    await locking.setup();
    const first = (await locking.tryLock('job', 60_000))!;
    await dropLockTable(table);
    await expect(locking.release(first)).rejects.toMatchObject({ code: 'lock_backend', message: expect.stringMatching(/does not exist/) });
    await locking.setup();
    const second = (await locking.tryLock('job', 60_000))!;
    expect(await locking.tryLock('job', 60_000)).toBeNull();
    await locking.renew(second);
    await locking.release(second);
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
  });

  it('setup() is idempotent and creates a missing schema', async () => {
    const schema = uniqueName('belfry_schema');
    const locking = new PgLocking({ connectionString: DATABASE_URL, schema, table: 'locks' });
    try {
      await locking.setup();
      await locking.setup();
      expect(await locking.tryLock('job', 1000)).not.toBeNull();
    } finally {
      await locking.cleanup();
      await withAdmin((admin) => admin.query(`DROP SCHEMA "${schema}" CASCADE`));
    }
  });
});
