import { afterEach, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import type { Clock } from '@belfry/plugin-api';
import { advisoryKey, PgLocking } from '../src/index.js';
import { DATABASE_URL, splitAdvisoryKey, uniqueName, withAdmin } from './database.js';
import { ManualClock } from './manual-clock.js';

const opened: PgLocking[] = [];

async function advisory(options: { keyPrefix?: string; clock?: Clock; maxConnections?: number; timeoutMs?: number } = {}) {
  const locking = new PgLocking({ connectionString: DATABASE_URL, mode: 'advisory', keyPrefix: `${uniqueName('adv')}:`, ...options });
  opened.push(locking);
  await locking.setup();
  return locking;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((locking) => locking.cleanup()));
});

async function holderPids(lockKey: string): Promise<number[]> {
  const { high, low } = splitAdvisoryKey(lockKey);
  const { rows } = await withAdmin((admin) =>
    admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1`,
      [high, low],
    ),
  );
  return rows.map((row) => row.pid);
}

describe('PgLocking advisory mode', () => {
  it('hashes a key to the first 8 bytes of its SHA-256 as a signed bigint, as PostgreSQL itself computes it', async () => {
    const keys = ['reports:nightly', 'Reports:nightly', 'emoji 🔒', '日本語', ''];
    const { rows } = await withAdmin((admin) =>
      admin.query<{ id: string }>(
        `SELECT ('x' || left(encode(sha256(convert_to(k, 'UTF8')), 'hex'), 16))::bit(64)::bigint::text AS id FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n`,
        [keys],
      ),
    );
    expect(keys.map((key) => advisoryKey(key))).toEqual(rows.map((row) => row.id));
    expect(advisoryKey('Reports:nightly')).not.toBe(advisoryKey('reports:nightly'));
  });

  it('holds a session advisory lock on the hashed key, on one pinned connection, until release', async () => {
    const locking = await advisory({ keyPrefix: 'pinned:' });
    const handle = (await locking.tryLock('job', 60_000))!;
    expect(handle.fence).toBeGreaterThan(0);
    expect(await holderPids(advisoryKey('pinned:job'))).toHaveLength(1);
    await locking.release(handle);
    expect(await holderPids(advisoryKey('pinned:job'))).toHaveLength(0);
  });

  it('two instances contend for the same key: one winner, the other gets null until release', async () => {
    const a = await advisory({ keyPrefix: 'shared:' });
    const b = await advisory({ keyPrefix: 'shared:' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).tryLock('job', 60_000)));
    const winners = results.filter((handle) => handle !== null);
    expect(winners).toHaveLength(1);
    const winner = results.findIndex((handle) => handle !== null) % 2 === 0 ? a : b;
    const loser = winner === a ? b : a;
    expect(await loser.tryLock('job', 60_000)).toBeNull();
    await winner.release(winners[0]!);
    const next = (await loser.tryLock('job', 60_000))!;
    expect(next.fence!).toBeGreaterThan(winners[0]!.fence!);
  });

  it('lets the lock go when the holder does not renew within the TTL on the injected clock', async () => {
    const clock = new ManualClock();
    const holder = await advisory({ keyPrefix: 'ttl:', clock });
    const other = await advisory({ keyPrefix: 'ttl:' });
    const handle = (await holder.tryLock('job', 1000))!;
    clock.advance(999);
    expect(await other.tryLock('job', 1000)).toBeNull();
    clock.advance(1);
    await vi.waitFor(async () => expect(await holderPids(advisoryKey('ttl:job'))).toHaveLength(0), { timeout: 3000 });
    await expect(holder.renew(handle)).rejects.toMatchObject({ code: 'lock_lost' });
    expect(await other.tryLock('job', 1000)).not.toBeNull();
  });

  it('renew after the TTL has passed rejects and frees the lock, even before the expiry timer has run', async () => {
    const clock = new ManualClock();
    const holder = await advisory({ keyPrefix: 'late:', clock: { now: () => clock.now(), setTimer: () => () => {} } });
    const handle = (await holder.tryLock('job', 1000))!;
    clock.advance(1000);
    await expect(holder.renew(handle)).rejects.toMatchObject({ code: 'lock_lost' });
    expect(await holderPids(advisoryKey('late:job'))).toHaveLength(0);
  });

  it('a renew under way when the TTL runs out keeps the lock it reported renewed', async () => {
    const clock = new ManualClock();
    const holder = await advisory({ keyPrefix: 'straddle:', clock });
    const other = await advisory({ keyPrefix: 'straddle:' });
    const handle = (await holder.tryLock('job', 1000))!;
    clock.advance(999);
    const renewing = holder.renew(handle);
    // Only microtasks run here, so renew has sent its check but no reply can have arrived yet.
    for (let turn = 0; turn < 20; turn += 1) await Promise.resolve();
    clock.advance(1);
    await renewing;
    // Calls on one lock run in order: this renew runs after any expiry that was queued, so it proves none let go.
    await holder.renew(handle);
    expect(await holderPids(advisoryKey('straddle:job'))).toHaveLength(1);
    expect(await other.tryLock('job', 1000)).toBeNull();
  });

  it('after every idle pooled connection is terminated, the next tryLock still works on a fresh connection', async () => {
    const applicationName = uniqueName('belfry_adv_kill');
    const locking = new PgLocking({ connectionString: DATABASE_URL, mode: 'advisory', keyPrefix: `${uniqueName('advkill')}:`, applicationName });
    opened.push(locking);
    await locking.setup();
    await locking.release((await locking.tryLock('warm', 60_000))!);
    await withAdmin((admin) => admin.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = $1', [applicationName]));
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
  });

  it('renew restarts the TTL from the moment of renewal', async () => {
    const clock = new ManualClock();
    const holder = await advisory({ keyPrefix: 'renew:', clock });
    const handle = (await holder.tryLock('job', 1000))!;
    clock.advance(900);
    await holder.renew(handle);
    clock.advance(900);
    await holder.renew(handle);
    expect(await holderPids(advisoryKey('renew:job'))).toHaveLength(1);
  });

  it('a handle is bound to the instance whose connection holds the lock: other instances treat it as foreign', async () => {
    const a = await advisory({ keyPrefix: 'bound:' });
    const b = await advisory({ keyPrefix: 'bound:' });
    const handle = (await a.tryLock('job', 60_000))!;
    await b.release(handle);
    await expect(b.renew(handle)).rejects.toMatchObject({ code: 'lock_lost' });
    expect(await b.tryLock('job', 60_000)).toBeNull();
    await a.renew(JSON.parse(JSON.stringify(handle)));
  });

  it('each held lock pins a connection: when all are pinned, a further tryLock rejects within the bound instead of queueing', async () => {
    const locking = await advisory({ maxConnections: 2, timeoutMs: 500 });
    expect(await locking.tryLock('a', 60_000)).not.toBeNull();
    expect(await locking.tryLock('b', 60_000)).not.toBeNull();
    const started = performance.now();
    await expect(locking.tryLock('c', 60_000)).rejects.toMatchObject({ code: 'lock_backend' });
    expect(performance.now() - started).toBeLessThan(locking.supports.maxCallMs);
  });

  it('cleanup() lets go of every held lock at once', async () => {
    const holder = await advisory({ keyPrefix: 'cleanup:' });
    const other = await advisory({ keyPrefix: 'cleanup:' });
    await holder.tryLock('a', 60_000);
    await holder.tryLock('b', 60_000);
    await holder.cleanup();
    expect(await other.tryLock('a', 60_000)).not.toBeNull();
    expect(await other.tryLock('b', 60_000)).not.toBeNull();
  });

  it('cleanup() while a tryLock is still under way leaves no lock held and no connection checked out', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    pool.on('error', () => {});
    try {
      const keyPrefix = `${uniqueName('closing')}:`;
      const holder = new PgLocking({ pool, mode: 'advisory', keyPrefix });
      await holder.setup();
      const attempt = holder.tryLock('job', 60_000).then(
        (handle) => handle,
        (error: unknown) => error,
      );
      // Wait until the attempt has its connection, then clean up under it.
      while (pool.idleCount > 0 || pool.totalCount === 0) await new Promise((resolve) => setImmediate(resolve));
      await holder.cleanup();
      expect(await attempt).toMatchObject({ code: 'lock_backend' });
      expect(await holderPids(advisoryKey(`${keyPrefix}job`))).toHaveLength(0);
      expect(pool.totalCount - pool.idleCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('after cleanup() a borrowed pool is not used to take new locks', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    pool.on('error', () => {});
    try {
      const locking = new PgLocking({ pool, mode: 'advisory', keyPrefix: `${uniqueName('after')}:` });
      await locking.setup();
      await locking.cleanup();
      await expect(locking.tryLock('job', 60_000)).rejects.toMatchObject({ code: 'lock_backend', message: expect.stringContaining('closed by cleanup()') });
      expect(pool.totalCount - pool.idleCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('works on a pool the caller owns and leaves that pool open', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    pool.on('error', () => {});
    try {
      const locking = new PgLocking({ pool, mode: 'advisory', keyPrefix: `${uniqueName('own')}:` });
      await locking.setup();
      const handle = (await locking.tryLock('job', 60_000))!;
      await locking.release(handle);
      await locking.cleanup();
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
