import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { PgCursorStore } from '../src/index.js';
import { admin, DATABASE_URL } from './support/database.js';

type Options = ConstructorParameters<typeof PgCursorStore>[0];

describe('PgCursorStore options', () => {
  test.each<[string, unknown, string]>([
    ['no options', undefined, 'PgCursorStore options must be an object with "pool" or "connectionString" (got undefined)'],
    ['neither pool nor connectionString', {}, 'PgCursorStore needs exactly one of the options "pool" or "connectionString" (got none)'],
    ['both pool and connectionString', { pool: {}, connectionString: DATABASE_URL }, 'PgCursorStore needs exactly one of the options "pool" or "connectionString" (got pool and connectionString)'],
    ['a pool that is not pg', { pool: { query() {} } }, 'PgCursorStore option "pool" must be a pg Pool'],
    ['a connection string of another scheme', { connectionString: 'mysql://127.0.0.1/test' }, 'PgCursorStore option "connectionString" must be a postgres:// or postgresql:// URL such as postgres://user@127.0.0.1:5432/app, but its scheme is "mysql:"'],
    ['a zero timeout', { connectionString: DATABASE_URL, timeoutMs: 0 }, 'PgCursorStore option "timeoutMs" must be a positive integer number of milliseconds (got 0)'],
    ['a table name with a quote', { connectionString: DATABASE_URL, table: 'x"; DROP TABLE y; --' }, 'PgCursorStore option "table" must be a plain identifier of letters, digits and _'],
    ['a table name of 64 characters', { connectionString: DATABASE_URL, table: 'a'.repeat(64) }, 'PgCursorStore option "table" must be a plain identifier'],
  ])('%s is refused with invalid_argument naming the option', (_, options, message) => {
    expect(() => new PgCursorStore(options as Options)).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(message) }));
  });

  test('the default table is belfry_cursors', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const existed = (await admin("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'belfry_cursors'")).length > 0;
    try {
      const store = new PgCursorStore({ pool });
      await store.setup();
      const job = `options-${process.pid}-${Date.now()}`;
      await store.save(job, 1, 1);
      expect(await admin('SELECT fence::int AS fence FROM belfry_cursors WHERE job_id = $1', [job])).toEqual([{ fence: 1 }]);
      await admin('DELETE FROM belfry_cursors WHERE job_id = $1', [job]);
    } finally {
      await pool.end();
      if (!existed) await admin('DROP TABLE IF EXISTS belfry_cursors');
    }
  });
});
