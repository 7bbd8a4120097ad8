import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE_PASSWORD, hostilePgUrls } from '@belfry/internal/testing';
import { PgCursorStore } from '../src/index.js';
import { admin, DATABASE_URL, dropTable, settle, silentListener, uniqueTable, unusedPort } from './support/database.js';
import { HANG_GUARD_MS, expectHostileUrlsHandled, expectNoPassword } from './support/faults.js';


const table = uniqueTable();
const opened: PgCursorStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function open(options: ConstructorParameters<typeof PgCursorStore>[0]): PgCursorStore {
  const store = new PgCursorStore({ table, ...options });
  opened.push(store);
  return store;
}

describe('a server that is down or hangs', () => {
  test('a port nothing listens on: load and save reject with store_backend within the bound, without the password', async () => {
    const port = await unusedPort();
    const store = open({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${port}/test` });
    for (const call of [() => store.load('job'), () => store.save('job', 1, 1), () => store.setup()]) {
      const attempt = await settle(call);
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^PgCursorStore\.(load\("job"\)|save\("job"\)|setup\(\)): .*ECONNREFUSED/) });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    }
  });

  test('a listener that accepts and never answers: rejects with store_backend once timeoutMs has passed, also through a given pool without a connect timeout', async () => {
    const listener = await silentListener();
    const given = new pg.Pool({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}/test` });
    given.on('error', () => undefined);
    try {
      for (const store of [open({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}/test`, timeoutMs: 200 }), open({ pool: given, timeoutMs: 200 })]) {
        const attempt = await settle(() => store.save('job', 1, 1));
        expect(attempt.outcome).toBe('rejected');
        expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/PostgreSQL did not hand out a connection within 200 ms|timeout/) });
        expect(attempt.ms).toBeGreaterThanOrEqual(150);
        expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
        expectNoPassword(attempt.value);
      }
    } finally {
      await listener.close();
      await given.end().catch(() => undefined);
    }
  });

  test('every hostile URL either throws invalid_argument or fails its calls with store_backend, never showing the password', async () => {
    await expectHostileUrlsHandled(hostilePgUrls, (url) => open({ connectionString: url, timeoutMs: 300 }), (store) => store.load('job'));
  });
});

describe('connections that die', () => {
  beforeAll(async () => {
    const store = new PgCursorStore({ connectionString: DATABASE_URL, table });
    await store.setup();
    await store.close();
  });
  afterAll(async () => {
    await dropTable(table);
  });

  test('a backend terminated while a save waits on the row: the save rejects with store_backend at once, and the next call works', async () => {
    const name = `belfry-kill-${process.pid}-${Date.now()}`;
    const store = open({ connectionString: `${DATABASE_URL}?application_name=${name}`, timeoutMs: 10_000 });
    await store.save('killed', 'before', 1);
    const holder = new pg.Client({ connectionString: DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM "${table}" WHERE job_id = 'killed' FOR UPDATE`);
      const pending = settle(() => store.save('killed', 'during', 2));
      // Wait until the save is blocked on the row, then end its session.
      let terminated = 0;
      for (let tries = 0; tries < 200 && terminated === 0; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const rows = await admin<{ done: boolean }>(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [name],
        );
        terminated = rows.length;
      }
      expect(terminated).toBe(1);
      const killed = await pending;
      expect(killed.outcome).toBe('rejected');
      expect(killed.value).toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^PgCursorStore\.save\("killed"\): terminating connection due to administrator command/) });
      expect(killed.ms).toBeLessThan(HANG_GUARD_MS);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await store.load('killed')).toEqual({ cursor: 'before', fence: 1 });
    expect(await store.save('killed', 'after', 3)).toBe('saved');
  });

  test('a statement that overruns timeoutMs rejects with store_backend; if it completes later its fence check still keeps the newest cursor', async () => {
    const name = `belfry-late-${process.pid}-${Date.now()}`;
    const store = open({ connectionString: `${DATABASE_URL}?application_name=${name}`, timeoutMs: 300 });
    await store.save('late', 'before', 1);
    const holder = new pg.Client({ connectionString: DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM "${table}" WHERE job_id = 'late' FOR UPDATE`);
      const attempt = await settle(() => store.save('late', 'during', 2));
      expect(attempt.outcome).toBe('rejected');
      expect(attempt.value).toMatchObject({ code: 'store_backend', message: expect.stringContaining('PostgreSQL did not answer within 300 ms (option timeoutMs)') });
      expect(attempt.ms).toBeLessThan(HANG_GUARD_MS);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await store.save('late', 'after', 3)).toBe('saved');
    expect(await store.load('late')).toEqual({ cursor: 'after', fence: 3 });
  });

  test('an idle pooled connection whose backend was terminated is dropped by the pool, and the next call works', async () => {
    const name = `belfry-idle-${process.pid}-${Date.now()}`;
    const pool = new pg.Pool({ connectionString: `${DATABASE_URL}?application_name=${name}` });
    pool.on('error', () => undefined);
    try {
      const store = open({ pool });
      await store.save('idle', 1, 1);
      expect(pool.idleCount).toBe(1);
      const rows = await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(rows).toHaveLength(1);
      // The pool drops the connection when the server's goodbye arrives.
      const deadline = Date.now() + 5000;
      while (pool.totalCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(pool.totalCount).toBe(0);
      expect(await store.load('idle')).toEqual({ cursor: 1, fence: 1 });
    } finally {
      await pool.end();
    }
  });

});
