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
      await admin.query(`SELECT 1 FROM "${table}" WHERE key_hash = $1 FOR UPDATE`, [createHash('sha256').update('belfry:lock:job').digest()]);
      for (const call of [() => locking.tryLock('job', 60_000), () => locking.renew(handle), () => locking.release(handle)]) {
        const { error, ms } = await rejection(call());
        expect(error.code).toBe('lock_backend');
        expect(error.message).toMatch(/lock held by another session|no answer while running the statement/);
        expect(ms).toBeLessThan(locking.supports.maxCallMs);
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
      expect(ms).toBeLessThan(slow.supports.maxCallMs);
      // The statement committed on the server; its row must not outlive the failed call.
      await vi.waitFor(async () => expect(await direct.tryLock('job', 60_000)).not.toBeNull(), { timeout: 15_000, interval: 100 });
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
      expect(ms).toBeLessThan(locking.supports.maxCallMs);
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

describe('a login the server refuses', () => {
  it('an unknown role names the user name as the fix, not the server', async () => {
    const url = new URL(DATABASE_URL);
    url.username = 'nobody';
    url.password = 'pw-of-nobody';
    const locking = new PgLocking({ connectionString: url.href });
    opened.push(locking);
    const { error } = await rejection(locking.tryLock('job', 1000));
    expect(error.code).toBe('lock_backend');
    expect(error.message).toMatch(/role "nobody" does not exist \(28000\)\. Fix: correct the user name in the connection string/);
    expect(error.message).not.toMatch(/start the server/);
    expect(error.message).not.toContain('pw-of-nobody');
    expect((error.cause as { code?: string }).code).toBe('28000');
  });

  it('an unknown database names the database as the fix', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = `/${uniqueName('nodb')}`;
    const locking = new PgLocking({ connectionString: url.href });
    opened.push(locking);
    const { error } = await rejection(locking.tryLock('job', 1000));
    expect(error.message).toMatch(/does not exist \(3D000\)\. Fix: correct the database name in the connection string, or create the database/);
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
        expect(ms).toBeLessThan(locking.supports.maxCallMs);
        if (error.code === 'lock_backend') expect(error.message).toMatch(/127\.0\.0\.1:1\/test.*ECONNREFUSED.*Fix: start the server, or correct the host and port/);
        expect(error.message).not.toContain('hunter2');
        expect(String(error.stack)).not.toContain('hunter2');
      }
      await locking.release(handle).catch((error: Error) => expect(error.message).not.toContain('hunter2'));
    });

    it(`${mode}: a server that accepts connections but never answers, with the default settings: every call rejects within supports.maxCallMs (≤ 2000 ms)`, async () => {
      const locking = new PgLocking({ connectionString: `postgres://postgres:hunter2-secret@127.0.0.1:${blackholePort}/test`, mode });
      opened.push(locking);
      expect(locking.supports.maxCallMs).toBeLessThanOrEqual(2000);
      const calls = [() => locking.tryLock('job', 1000), () => locking.renew(handle), () => locking.release(handle)];
      // Advisory renew and release of a handle this instance never minted answer locally; tryLock goes to the server.
      for (const call of mode === 'lease' ? calls : calls.slice(0, 1)) {
        const { error, ms } = await rejection(call());
        expect(error.code).toBe('lock_backend');
        expect(ms).toBeLessThan(locking.supports.maxCallMs);
        expect(error.message).not.toContain('hunter2');
        expect(error.message).toMatch(/no answer while waiting for a connection within the bound of 1000 ms.*Fix: start the server/);
      }
    });

    it(`${mode}: a server frozen mid-session while locks are held, with the default settings: every call settles within supports.maxCallMs`, async () => {
      const table = uniqueName('frozen');
      await open({ table });
      const target = new URL(DATABASE_URL);
      const proxy = await startDelayingProxy({ host: target.hostname, port: Number(target.port || 5432) });
      try {
        const viaProxy = new URL(DATABASE_URL);
        viaProxy.port = String(proxy.port);
        const locking = await open({ table, connectionString: viaProxy.href, mode });
        const first = (await locking.tryLock('first', 60_000))!;
        const second = (await locking.tryLock('second', 60_000))!;
        proxy.freeze();
        const acquire = await rejection(locking.tryLock('other', 60_000));
        expect(acquire.error.code).toBe('lock_backend');
        expect(acquire.ms).toBeLessThan(locking.supports.maxCallMs);
        const renew = await rejection(locking.renew(first));
        // An advisory lock lives on its connection: once renew cannot confirm it, the connection is dropped and the lock is gone.
        expect(renew.error.code).toBe(mode === 'lease' ? 'lock_backend' : 'lock_lost');
        expect(renew.ms).toBeLessThan(locking.supports.maxCallMs);
        if (mode === 'lease') {
          const release = await rejection(locking.release(second));
          expect(release.error.code).toBe('lock_backend');
          expect(release.ms).toBeLessThan(locking.supports.maxCallMs);
        } else {
          // Advisory release frees the lock by dropping its connection when the unlock gets no answer: it resolves.
          const started = performance.now();
          await locking.release(second);
          expect(performance.now() - started).toBeLessThan(locking.supports.maxCallMs);
        }
      } finally {
        await proxy.close();
      }
    }, 30_000);
  }
});
