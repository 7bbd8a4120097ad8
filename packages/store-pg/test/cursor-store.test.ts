import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PgCursorStore } from '../src/index.js';
import { admin, DATABASE_URL, dropTable, uniqueTable } from './support/database.js';

const table = uniqueTable();
const opened: PgCursorStore[] = [];
const pools: pg.Pool[] = [];

function open(options: Partial<ConstructorParameters<typeof PgCursorStore>[0]> = {}): PgCursorStore {
  const store = new PgCursorStore(options.pool === undefined ? { connectionString: DATABASE_URL, table, ...options } : { table, ...options });
  opened.push(store);
  return store;
}

function pool(max: number): pg.Pool {
  const made = new pg.Pool({ connectionString: DATABASE_URL, max });
  made.on('error', () => undefined);
  pools.push(made);
  return made;
}

beforeAll(async () => {
  await open().setup();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await Promise.all(pools.map((made) => made.end()));
  await dropTable(table);
});

describe('PgCursorStore', () => {
  test('keeps each job in one row: fence as bigint, cursor as json text exactly as saved', async () => {
    await open().save('layout', { page: 2, etag: 'x' }, 7);
    const rows = await admin<{ fence: string; cursor: string; types: string }>(
      `SELECT fence::text, cursor::text, pg_typeof(fence)::text || ' ' || pg_typeof(cursor)::text AS types FROM "${table}" WHERE job_id = 'layout'`,
    );
    expect(rows).toEqual([{ fence: '7', cursor: '{"page":2,"etag":"x"}', types: 'bigint json' }]);
  });

  test('50 concurrent saves with random fences from two pools leave the highest fence; a save below a fence its own connection saved before is stale', async () => {
    // One connection per pool, so each pool's saves reach the server in the order they were made.
    const stores = [open({ pool: pool(1) }), open({ pool: pool(1) })];
    const saves = Array.from({ length: 50 }, (_, index) => ({ store: index % 2, fence: Math.floor(Math.random() * 20), index }));
    const results = await Promise.all(saves.map((save) => stores[save.store]!.save('race', { from: save.index }, save.fence)));
    const max = Math.max(...saves.map((save) => save.fence));
    const stored = await stores[0]!.load('race');
    expect(stored?.fence).toBe(max);
    const winner = saves[(stored!.cursor as { from: number }).from]!;
    expect(winner.fence).toBe(max);
    expect(results[winner.index]).toBe('saved');
    for (const side of [0, 1]) {
      let highestSaved = -1;
      for (const save of saves.filter((candidate) => candidate.store === side)) {
        if (save.fence < highestSaved) expect(results[save.index], `save #${save.index} (fence ${save.fence}) after fence ${highestSaved}`).toBe('stale');
        if (results[save.index] === 'saved') highestSaved = Math.max(highestSaved, save.fence);
      }
    }
    const savedFences = saves.filter((save) => results[save.index] === 'saved').map((save) => save.fence);
    for (const save of saves.filter((candidate) => results[candidate.index] === 'stale')) {
      expect(savedFences.some((fence) => fence > save.fence)).toBe(true);
    }
  });

  test('fences up to Number.MAX_SAFE_INTEGER compare exactly', async () => {
    const store = open();
    expect(await store.save('big', 'top', Number.MAX_SAFE_INTEGER)).toBe('saved');
    expect(await store.save('big', 'below', Number.MAX_SAFE_INTEGER - 1)).toBe('stale');
    expect(await store.load('big')).toEqual({ cursor: 'top', fence: Number.MAX_SAFE_INTEGER });
  });

  test('a cursor with a NUL character round-trips', async () => {
    const store = open();
    await store.save('nul', { text: 'a\u0000b' }, 1);
    expect(await store.load('nul')).toEqual({ cursor: { text: 'a\u0000b' }, fence: 1 });
  });

  test('setup() is idempotent and may run from several nodes at once', async () => {
    const fresh = uniqueTable();
    try {
      const stores = Array.from({ length: 4 }, () => open({ table: fresh }));
      await Promise.all(stores.map((store) => store.setup()));
      await stores[0]!.setup();
      expect(await stores[1]!.save('job', 1, 1)).toBe('saved');
    } finally {
      await dropTable(fresh);
    }
  });

  test('a call before setup() rejects with store_backend saying to run setup()', async () => {
    const store = open({ table: uniqueTable() });
    await expect(store.load('job')).rejects.toMatchObject({ code: 'store_backend', message: expect.stringMatching(/^PgCursorStore\.load\("job"\): relation ".*" does not exist; run setup\(\) once to create it$/) });
  });

  test('close() leaves a given pool open; later calls reject with store_backend, and close() may be called again', async () => {
    const given = pool(2);
    const store = open({ pool: given });
    await store.save('closing', 1, 1);
    await store.close();
    await store.close();
    expect((await given.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await expect(store.load('closing')).rejects.toMatchObject({ code: 'store_backend', message: 'PgCursorStore.load("closing"): the store was closed' });
  });

  test('close() ends the pool made from connectionString', async () => {
    const name = `belfry-close-${process.pid}-${Date.now()}`;
    const store = open({ connectionString: `${DATABASE_URL}?application_name=${name}` });
    await store.load('job');
    const count = async (): Promise<number> => Number((await admin<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [name]))[0]!.n);
    expect(await count()).toBe(1);
    await store.close();
    // The server process of a closed connection exits a moment after the client said goodbye.
    const deadline = Date.now() + 5000;
    while ((await count()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await count()).toBe(0);
  });
});
