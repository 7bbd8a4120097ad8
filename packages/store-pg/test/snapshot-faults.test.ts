import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE_PASSWORD, hostilePgUrls } from '@belfry/internal/testing';
import { PgSnapshotStore } from '../src/index.js';
import { admin, DATABASE_URL, dropTable, settle, silentListener, uniqueTable, unusedPort } from './support/database.js';
import { HANG_GUARD_MS, expectHostileUrlsHandled, expectNoPassword } from './support/faults.js';


const table = uniqueTable();
const opened: PgSnapshotStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function open(options: ConstructorParameters<typeof PgSnapshotStore>[0]): PgSnapshotStore {
  const store = new PgSnapshotStore({ table, ...options });
  opened.push(store);
  return store;
}

const snapshot = (fill: number, length = 16) => ({ id: 'counter', version: 2, bytes: new Uint8Array(length).fill(fill) });

describe('PgSnapshotStore against a server that is down or hangs', () => {
  test('a port nothing listens on: every call rejects with store_backend within the bound, without the password', async () => {
    const store = open({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${await unusedPort()}/test` });
    const calls = [() => store.load('counter'), () => store.saveFenced(snapshot(1), 1), () => store.loadFenced('counter'), () => store.delete('counter'), () => store.list(), () => store.setup()];
    for (const call of calls) {
      const attempt = await settle(call);
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^PgSnapshotStore\.\w+\(("counter")?\): .*ECONNREFUSED/) });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    }
  });

  test('a listener that accepts and never answers: rejects with store_backend once timeoutMs has passed', async () => {
    const listener = await silentListener();
    try {
      const store = open({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}/test`, timeoutMs: 200 });
      const attempt = await settle(() => store.saveFenced(snapshot(1), 1));
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/PostgreSQL did not hand out a connection within 200 ms|timeout/) });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    } finally {
      await listener.close();
    }
  });

  test('every hostile URL either throws invalid_argument or fails its calls with store_backend, never showing the password', async () => {
    await expectHostileUrlsHandled(hostilePgUrls, (url) => open({ connectionString: url, timeoutMs: 300 }), (store) => store.load('counter'));
  });

  test('a call before setup() names the missing table and the fix', async () => {
    const store = new PgSnapshotStore({ connectionString: DATABASE_URL, table: uniqueTable() });
    opened.push(store);
    await expect(store.load('counter')).rejects.toMatchObject({ code: 'store_backend', message: expect.stringContaining('run setup() once to create it') });
  });
});

describe('PgSnapshotStore with connections that die', () => {
  beforeAll(async () => {
    const store = new PgSnapshotStore({ connectionString: DATABASE_URL, table });
    await store.setup();
    await store.close();
  });
  afterAll(async () => {
    await dropTable(table);
  });

  test('a backend terminated while a fenced save waits on the row: the save rejects with store_backend at once, and the next call works', async () => {
    const name = `belfry-snap-kill-${process.pid}-${Date.now()}`;
    const store = open({ connectionString: `${DATABASE_URL}?application_name=${name}`, timeoutMs: 10_000 });
    await store.saveFenced(snapshot(1), 1);
    const holder = new pg.Client({ connectionString: DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM "${table}" WHERE id = 'counter' FOR UPDATE`);
      const pending = settle(() => store.saveFenced(snapshot(2), 2));
      // Wait until the save is blocked on the row, then end its session.
      let terminated = 0;
      for (let tries = 0; tries < 200 && terminated === 0; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const rows = await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [name]);
        terminated = rows.length;
      }
      expect(terminated).toBe(1);
      const killed = await pending;
      expect(killed.outcome).toBe('rejected');
      expect(killed.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^PgSnapshotStore\.saveFenced\("counter"\): terminating connection due to administrator command/) });
      expect(killed.ms).toBeLessThan(HANG_GUARD_MS);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await store.loadFenced('counter')).toEqual({ snapshot: snapshot(1), fence: 1 });
    expect(await store.saveFenced(snapshot(3), 3)).toBe('saved');
  });

  test('stores the bytes as they are in a bytea column, and a row changed outside the store fails its load with store_backend', async () => {
    const store = open({ connectionString: DATABASE_URL });
    const bytes = new Uint8Array([0, 255, 0x0d, 0x0a, 0xc3, 0x28, 0x5c, 0x78]);
    expect(await store.saveFenced({ id: 'raw', version: 4294967295, bytes }, 2 ** 52)).toBe('saved');
    const [row] = await admin<{ bytes: Buffer; version: string; fence: string }>(`SELECT bytes, version::text, fence::text FROM "${table}" WHERE id = 'raw'`);
    expect([...row!.bytes]).toEqual([...bytes]);
    expect(row).toMatchObject({ version: '4294967295', fence: String(2 ** 52) });
    await admin(`UPDATE "${table}" SET bytes = '\\x00' WHERE id = 'raw'`);
    await expect(store.load('raw')).rejects.toMatchObject({ code: 'store_backend', message: expect.stringContaining('the row of "raw" does not match its checksum') });
  });
});
