import { afterEach, describe, expect, it, vi } from 'vitest';
import { advisoryKey, PgLocking, type PgLockingOptions } from '../src/index.js';
import { DATABASE_URL, dropLockTable, splitAdvisoryKey, uniqueName, withAdmin } from './database.js';

/** Idle time after which connections above the minimum close: short, so the test need not wait long for it. */
const IDLE_TIMEOUT_MS = 50;
/** Hang guard for the pool to close its idle connections: far above IDLE_TIMEOUT_MS plus a busy machine's timer lag. */
const CLOSE_GUARD_MS = 15_000;
/** Deadline of each call: connecting several connections at once on a busy machine must not fail the test. */
const CALL_TIMEOUT_MS = 10_000;

const opened: PgLocking[] = [];
const tables: string[] = [];

async function open(options: Partial<PgLockingOptions>): Promise<PgLocking> {
  const locking = new PgLocking({ connectionString: DATABASE_URL, timeoutMs: CALL_TIMEOUT_MS, ...options });
  opened.push(locking);
  await locking.setup();
  return locking;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((locking) => locking.cleanup()));
  for (const table of tables.splice(0)) await dropLockTable(table);
});

/** Server sessions of `applicationName`, as the server sees them. */
async function sessions(applicationName: string): Promise<number[]> {
  const { rows } = await withAdmin((admin) => admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]));
  return rows.map((row) => row.pid).sort((a, b) => a - b);
}

async function holderPid(lockKey: string): Promise<number | undefined> {
  const { high, low } = splitAdvisoryKey(lockKey);
  const { rows } = await withAdmin((admin) =>
    admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1`,
      [high, low],
    ),
  );
  return rows[0]?.pid;
}

describe('connections of the pool PgLocking creates', () => {
  it('lease: connections above minConnections close once idle for idleTimeoutMs; the rest stay open', async () => {
    const applicationName = uniqueName('belfry_idle');
    const table = uniqueName('idle');
    tables.push(table);
    const locking = await open({ table, applicationName, maxConnections: 4, minConnections: 1, idleTimeoutMs: IDLE_TIMEOUT_MS });
    // Four calls at once, held up by a locked table, need four connections.
    const handles = await withAdmin(async (admin) => {
      await admin.query('BEGIN');
      await admin.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
      const calls = Promise.all(['a', 'b', 'c', 'd'].map((key) => locking.tryLock(key, 60_000)));
      await vi.waitFor(async () => expect(await sessions(applicationName)).toHaveLength(4), { timeout: CLOSE_GUARD_MS, interval: 25 });
      await admin.query('ROLLBACK');
      return calls;
    });
    expect(handles.every((handle) => handle !== null)).toBe(true);
    await vi.waitFor(async () => expect(await sessions(applicationName)).toHaveLength(1), { timeout: CLOSE_GUARD_MS, interval: 25 });
    // The one kept open serves the next calls; lease locks hold no connection, so closing the others lost nothing.
    for (const handle of handles) await locking.renew(handle!);
    expect(await locking.tryLock('a', 60_000)).toBeNull();
  });

  it('advisory: idle connections close, but a connection pinned by a held lock is never closed under it', async () => {
    const applicationName = uniqueName('belfry_pinned');
    const keyPrefix = `${uniqueName('pinned')}:`;
    const locking = await open({ mode: 'advisory', keyPrefix, applicationName, maxConnections: 4, minConnections: 0, idleTimeoutMs: IDLE_TIMEOUT_MS });
    const held = [(await locking.tryLock('held-1', 60_000))!, (await locking.tryLock('held-2', 60_000))!];
    const holders = await Promise.all(held.map((handle) => holderPid(advisoryKey(`${keyPrefix}${handle.key}`))));
    // Two more locks at once open further connections; released, those go idle.
    const passing = await Promise.all(['pass-1', 'pass-2'].map((key) => locking.tryLock(key, 60_000)));
    await Promise.all(passing.map((handle) => locking.release(handle!)));
    await vi.waitFor(async () => expect(await sessions(applicationName)).toEqual([...holders].sort((a, b) => a! - b!)), { timeout: CLOSE_GUARD_MS, interval: 25 });
    // Long past the idle timeout, both locks are still held by the same sessions, and renew confirms them with the server.
    for (const handle of held) await locking.renew(handle);
    expect(await Promise.all(held.map((handle) => holderPid(advisoryKey(`${keyPrefix}${handle.key}`))))).toEqual(holders);
    const other = await open({ mode: 'advisory', keyPrefix });
    expect(await other.tryLock('held-1', 60_000)).toBeNull();
    // Released, the pinned connections go idle like any other and close in turn (minConnections is 0).
    for (const handle of held) await locking.release(handle);
    await vi.waitFor(async () => expect(await sessions(applicationName)).toEqual([]), { timeout: CLOSE_GUARD_MS, interval: 25 });
  });
});
