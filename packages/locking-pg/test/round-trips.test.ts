import { afterEach, describe, expect, it } from 'vitest';
import { PgLocking, type PgLockingOptions } from '../src/index.js';
import { countingPool, type Sent } from './counting-pool.js';
import { DATABASE_URL, dropLockTable, uniqueName } from './database.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(options: Omit<PgLockingOptions, 'pool' | 'connectionString'>, max = 1) {
  const { pool, sent } = countingPool(DATABASE_URL, max);
  const table = uniqueName('trips');
  const locking = new PgLocking({ pool, table, ...options });
  cleanups.push(async () => {
    await locking.cleanup();
    await pool.end();
    await dropLockTable(table);
  });
  await locking.setup();
  return { locking, pool, sent };
}

/** The statements `call` sent, and what it returned. */
async function statementsOf<R>(sent: Sent[], call: () => Promise<R>): Promise<{ statements: Sent[]; result: R }> {
  const before = sent.length;
  const result = await call();
  return { statements: sent.slice(before), result };
}

describe('round trips per call', () => {
  it('lease: acquire, renew and release are one prepared statement each, contention included', async () => {
    const { locking, sent } = await open({ mode: 'lease' });
    const acquire = await statementsOf(sent, () => locking.tryLock('job', 60_000));
    const handle = acquire.result!;
    expect(acquire.statements).toEqual([{ text: expect.stringMatching(/^INSERT INTO [\s\S]*ON CONFLICT[\s\S]*RETURNING nextval/), named: true }]);
    const contended = await statementsOf(sent, () => locking.tryLock('job', 60_000));
    expect(contended.result).toBeNull();
    expect(contended.statements).toHaveLength(1);
    const renew = await statementsOf(sent, () => locking.renew(handle));
    expect(renew.statements).toEqual([{ text: expect.stringMatching(/^UPDATE /), named: true }]);
    const release = await statementsOf(sent, () => locking.release(handle));
    expect(release.statements).toEqual([{ text: expect.stringMatching(/^DELETE FROM /), named: true }]);
    expect(await locking.tryLock('job', 60_000)).not.toBeNull();
    // Only the release may commit without waiting for its WAL flush; acquire and renew keep the server's durability.
    expect(release.statements[0]!.text).toContain("set_config('synchronous_commit', 'off', true)");
    for (const { text } of [...acquire.statements, ...renew.statements]) expect(text).not.toContain('synchronous_commit');
  });

  it('lease: the statements leave no session setting behind (lock_timeout and synchronous_commit are per transaction)', async () => {
    const { locking, pool } = await open({ mode: 'lease' });
    const handle = (await locking.tryLock('job', 60_000))!;
    await locking.renew(handle);
    await locking.release(handle);
    // The pool has one connection: the one every call above ran on.
    const { rows } = await pool.query<{ name: string; as_reset: boolean }>(
      "SELECT name, setting = reset_val AS as_reset FROM pg_settings WHERE name IN ('synchronous_commit', 'lock_timeout') ORDER BY name",
    );
    expect(rows).toEqual([
      { name: 'lock_timeout', as_reset: true },
      { name: 'synchronous_commit', as_reset: true },
    ]);
  });

  it('advisory: acquire, renew and release are one prepared statement each, contention included', async () => {
    const keyPrefix = `${uniqueName('trips')}:`;
    const { locking, pool, sent } = await open({ mode: 'advisory', keyPrefix }, 2);
    const acquire = await statementsOf(sent, () => locking.tryLock('job', 60_000));
    const handle = acquire.result!;
    expect(acquire.statements).toEqual([{ text: expect.stringMatching(/pg_try_advisory_lock.*nextval/), named: true }]);
    const renew = await statementsOf(sent, () => locking.renew(handle));
    expect(renew.statements).toEqual([{ text: expect.stringMatching(/pg_locks/), named: true }]);
    const release = await statementsOf(sent, () => locking.release(handle));
    expect(release.statements).toEqual([{ text: expect.stringMatching(/pg_advisory_unlock/), named: true }]);
    // Another instance on the same pool, its connection already in use once: contention costs it one statement too.
    const held = (await locking.tryLock('job', 60_000))!;
    const other = new PgLocking({ pool, mode: 'advisory', keyPrefix });
    await other.release((await other.tryLock('warm', 60_000))!);
    const contended = await statementsOf(sent, () => other.tryLock('job', 60_000));
    expect(contended.result).toBeNull();
    expect(contended.statements).toEqual([{ text: expect.stringMatching(/pg_try_advisory_lock/), named: true }]);
    // A key this instance holds itself is answered without the server.
    expect(await statementsOf(sent, () => locking.tryLock('job', 60_000))).toEqual({ statements: [], result: null });
    await other.cleanup();
    await locking.release(held);
  });

  it('a connection is checked for a pooler once, by setup() or by its first call, never again', async () => {
    const { locking, sent } = await open({ mode: 'lease' }, 2);
    // setup() ran on the first connection and checked it; two calls at once need a second connection.
    const both = await statementsOf(sent, () => Promise.all([locking.tryLock('a', 60_000), locking.tryLock('b', 60_000)]));
    expect(both.statements.filter((s) => s.text.includes('pg_backend_pid'))).toHaveLength(1);
    expect(both.statements.filter((s) => s.text.startsWith('INSERT'))).toHaveLength(2);
    const again = await statementsOf(sent, () => Promise.all([locking.tryLock('c', 60_000), locking.tryLock('d', 60_000)]));
    expect(again.statements.map((s) => s.text.slice(0, 6))).toEqual(['INSERT', 'INSERT']);
  });

  it('advisory: a new connection costs no extra round trip; its first acquire, unnamed, checks for a pooler itself', async () => {
    const { locking, sent } = await open({ mode: 'advisory', keyPrefix: `${uniqueName('fresh')}:` }, 2);
    // The first connection, checked by setup(), stays pinned by this lock: the next call needs a new connection.
    const pinned = (await locking.tryLock('pinned', 60_000))!;
    const first = await statementsOf(sent, () => locking.tryLock('job', 60_000));
    expect(first.statements).toEqual([{ text: expect.stringMatching(/pg_backend_pid\(\)[\s\S]*pg_try_advisory_lock/), named: false }]);
    await locking.release(first.result!);
    const again = await statementsOf(sent, () => locking.tryLock('job', 60_000));
    expect(again.statements).toEqual([{ text: first.statements[0]!.text, named: true }]);
    await locking.release(again.result!);
    await locking.release(pinned);
  });
});
