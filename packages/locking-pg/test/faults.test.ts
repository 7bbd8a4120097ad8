import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advisoryKey, PgLocking, type PgLockingOptions } from '../src/index.js';
import { DATABASE_URL, dropLockTable, splitAdvisoryKey, uniqueName, withAdmin } from './database.js';
import { startDelayingProxy } from './delaying-proxy.js';

const opened: PgLocking[] = [];
const tables: string[] = [];

async function open(options: Partial<PgLockingOptions>): Promise<PgLocking> {
  const locking = new PgLocking({ connectionString: DATABASE_URL, ...options });
  opened.push(locking);
  if (options.table !== undefined) tables.push(options.table);
  await locking.setup();
  return locking;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((locking) => locking.cleanup()));
  for (const table of tables.splice(0)) await dropLockTable(table);
});

/** Rejection of `promise` with the time it took; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<{ error: Error & { code?: string }; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e as Error & { code?: string },
  );
  return { error, ms: performance.now() - started };
}

async function terminateBackends(where: string, values: unknown[]): Promise<number> {
  const { rows } = await withAdmin((admin) =>
    admin.query<{ done: boolean }>(`SELECT pg_terminate_backend(pid, 5000) AS done FROM pg_stat_activity WHERE ${where}`, values),
  );
  expect(rows.every((row) => row.done)).toBe(true);
  return rows.length;
}

describe('faults against the real server', () => {
  it('advisory: when the holder’s connection is terminated, its next renew rejects and another node takes the lock', async () => {
    const keyPrefix = `${uniqueName('kill')}:`;
    const holder = await open({ mode: 'advisory', keyPrefix });
    const other = await open({ mode: 'advisory', keyPrefix });
    const handle = (await holder.tryLock('job', 60_000))!;
    expect(await other.tryLock('job', 60_000)).toBeNull();
    const { high, low } = splitAdvisoryKey(advisoryKey(`${keyPrefix}job`));
    const killed = await terminateBackends(
      `pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objid = $2::bigint::oid)`,
      [high, low],
    );
    expect(killed).toBe(1);
    await expect(holder.renew(handle)).rejects.toMatchObject({ code: 'lock_lost' });
    const taken = (await other.tryLock('job', 60_000))!;
    expect(taken.fence!).toBeGreaterThan(handle.fence!);
    await holder.release(handle); // a no-op now, and it must not disturb the new holder
    expect(await holder.tryLock('job', 60_000)).toBeNull();
  });

  it('lease: after every pooled connection is terminated, the next calls still work on fresh connections', async () => {
    const applicationName = uniqueName('belfry_kill');
    const locking = await open({ table: uniqueName('kill_lease'), applicationName, maxConnections: 3 });
    const handle = (await locking.tryLock('job', 60_000))!;
    await Promise.all([locking.tryLock('warm-1', 60_000), locking.tryLock('warm-2', 60_000)]);
    expect(await terminateBackends('application_name = $1', [applicationName])).toBeGreaterThan(0);
    await locking.renew(handle);
    expect(await locking.tryLock('job', 60_000)).toBeNull();
    await locking.release(handle);
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
  });

  it('lease: a row locked by a stuck session makes tryLock, renew and release reject within the bound instead of hanging', async () => {
    const table = uniqueName('stuck');
    const locking = await open({ table, timeoutMs: 600 });
    const handle = (await locking.tryLock('job', 60_000))!;
    await withAdmin(async (admin) => {
      await admin.query('BEGIN');
      await admin.query(`SELECT 1 FROM "${table}" WHERE key_hash = $1 FOR UPDATE`, [createHash('sha256').update('job').digest()]);
      for (const call of [() => locking.tryLock('job', 60_000), () => locking.renew(handle), () => locking.release(handle)]) {
        const { error, ms } = await rejection(call());
        expect(error.code).toBe('lock_backend');
        expect(error.message).toMatch(/lock held by another session|no answer while running the statement/);
        expect(ms).toBeLessThan(1500);
      }
      await admin.query('ROLLBACK');
    });
    await locking.renew(handle);
    await locking.release(handle);
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
  });

  it('lease: a tryLock whose reply comes too late rejects and does not leave the lock held by nobody', async () => {
    const table = uniqueName('late_reply');
    await open({ table });
    const direct = await open({ table });
    const target = new URL(DATABASE_URL);
    const proxy = await startDelayingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    try {
      const viaProxy = new URL(DATABASE_URL);
      viaProxy.port = String(proxy.port);
      const slow = await open({ table, connectionString: viaProxy.href, timeoutMs: 500 });
      proxy.delayReplies(800);
      const { error, ms } = await rejection(slow.tryLock('job', 60_000));
      expect(error.code).toBe('lock_backend');
      expect(ms).toBeLessThan(1500);
      // The statement committed on the server; its row must not outlive the failed call.
      await vi.waitFor(async () => expect(await direct.tryLock('job', 60_000)).not.toBeNull(), { timeout: 5000, interval: 100 });
    } finally {
      await proxy.close();
    }
  }, 20_000);

  it('lease: a table locked by a stuck migration makes tryLock reject within the bound', async () => {
    const table = uniqueName('stuck_table');
    const locking = await open({ table, timeoutMs: 600 });
    await withAdmin(async (admin) => {
      await admin.query('BEGIN');
      await admin.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
      const { error, ms } = await rejection(locking.tryLock('job', 60_000));
      expect(error.code).toBe('lock_backend');
      expect(error.message).toMatch(/within the bound of 600 ms/);
      expect(ms).toBeLessThan(1500);
      await admin.query('ROLLBACK');
    });
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
  });

  it('setup() rejects within its bound while another session holds the setup lock, instead of hanging', async () => {
    const table = uniqueName('setup_blocked');
    const locking = new PgLocking({ connectionString: DATABASE_URL, table, timeoutMs: 500 });
    opened.push(locking);
    tables.push(table);
    await withAdmin(async (admin) => {
      await admin.query('SELECT pg_advisory_lock($1::bigint)', [advisoryKey(`belfry-locking-pg setup "public"."${table}"`)]);
      const started = performance.now();
      // setup() allows max(timeoutMs, 10 s).
      const outcome = await Promise.race([
        locking.setup().then(
          () => 'resolved',
          (error: Error & { code?: string }) => error.code,
        ),
        new Promise((resolve) => setTimeout(resolve, 14_000, 'hung')),
      ]);
      expect(outcome).toBe('lock_backend');
      expect(performance.now() - started).toBeLessThan(12_000);
      await admin.query('SELECT pg_advisory_unlock_all()');
    });
    await locking.setup();
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
  }, 30_000);

  it('many concurrent setup() calls from separate instances all succeed, in lease and advisory mode', async () => {
    const schema = uniqueName('race');
    const instances = Array.from(
      { length: 12 },
      (_, i) => new PgLocking({ connectionString: DATABASE_URL, schema, table: 'locks', mode: i % 3 === 0 ? 'advisory' : 'lease' }),
    );
    try {
      const outcomes = await Promise.allSettled(instances.flatMap((locking) => [locking.setup(), locking.setup()]));
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      expect(await instances[1]!.tryLock('job', 60_000)).not.toBeNull();
    } finally {
      await Promise.all(instances.map((locking) => locking.cleanup()));
      await withAdmin((admin) => admin.query(`DROP SCHEMA "${schema}" CASCADE`));
    }
  });
});

describe('an unreachable server', () => {
  let blackhole: Server;
  let blackholePort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts TCP connections and never says a word: the worst kind of dead server.
    blackhole = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    blackholePort = (blackhole.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  const handle = { key: 'job', lockId: 'a'.repeat(32), ttlMs: 1000 };

  for (const mode of ['lease', 'advisory'] as const) {
    it(`${mode}: a refused connection rejects every call with lock_backend at once, and no message shows the password`, async () => {
      const locking = new PgLocking({ connectionString: 'postgres://postgres:hunter2-secret@127.0.0.1:1/test', mode });
      opened.push(locking);
      const calls = [() => locking.tryLock('job', 1000), () => locking.setup(), () => locking.renew(handle)];
      for (const call of calls) {
        const { error, ms } = await rejection(call());
        // Advisory renew of a handle this instance never minted is refused locally, without a connection.
        expect(error.code).toBe(mode === 'advisory' && call === calls[2] ? 'lock_lost' : 'lock_backend');
        expect(ms).toBeLessThan(2000);
        if (error.code === 'lock_backend') expect(error.message).toContain('127.0.0.1:1/test');
        expect(error.message).not.toContain('hunter2');
        expect(String(error.stack)).not.toContain('hunter2');
      }
      await locking.release(handle).catch((error: Error) => expect(error.message).not.toContain('hunter2'));
    });

    it(`${mode}: a server that accepts connections but never answers rejects with lock_backend within timeoutMs`, async () => {
      const locking = new PgLocking({ connectionString: `postgres://postgres:hunter2-secret@127.0.0.1:${blackholePort}/test`, mode, timeoutMs: 800 });
      opened.push(locking);
      const [acquire, renew] = await Promise.all([rejection(locking.tryLock('job', 1000)), rejection(locking.renew(handle))]);
      expect(acquire.error.code).toBe('lock_backend');
      expect(acquire.ms).toBeLessThan(1500);
      expect(acquire.error.message).not.toContain('hunter2');
      expect(acquire.error.message).toMatch(/no answer while waiting for a connection within the bound of 800 ms/);
      expect(renew.ms).toBeLessThan(1500);
    });
  }
});
