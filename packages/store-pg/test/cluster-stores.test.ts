import type { PausedTarget } from '@belfry/plugin-api';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { PgControl, PgPresence, PgRunHistory } from '../src/index.js';
import { AGE_PRUNE_BATCH, historyStatements } from '../src/history-statements.js';
import { serverNow, uniqueClusterTable, dropTables } from './support/cluster-targets.js';
import { admin, DATABASE_URL } from './support/database.js';

/** Hang guard for a state a store reaches in milliseconds: far beyond any busy machine's delay. */
const HANG_GUARD_MS = 8000;
/** A re-read interval no test waits for: what arrives sooner came by NOTIFY. */
const NEVER_POLL_MS = 600_000;

const tables: string[] = [];
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await dropTables(tables);
});

function table(kind: string): string {
  const name = uniqueClusterTable(kind);
  tables.push(name);
  return name;
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const giveUpAt = performance.now() + HANG_GUARD_MS;
  while (!(await condition())) {
    if (performance.now() > giveUpAt) throw new Error(`still not true after the hang guard: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function run(id: string, startedAt: number) {
  return { id, plugin: 'billing', scheduleId: 'nightly', scheduledAt: startedAt, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt, durationMs: 1, isCatchup: false, manual: false } as const;
}

describe('PgRunHistory', () => {
  test('an append deletes at most AGE_PRUNE_BATCH expired runs, and queries never return the ones left', async () => {
    const name = table('runs');
    const history = new PgRunHistory({ connectionString: DATABASE_URL, table: name, maxAgeMs: 60_000 });
    opened.push(history);
    await history.setup();
    const now = await serverNow();
    const expired = AGE_PRUNE_BATCH + 200;
    // Rows written straight into the table, as a long-idle cluster would have left them.
    await admin(
      `INSERT INTO "${name}" (id, started_at, plugin, schedule_id, node_id, outcome, run)
       SELECT 'old-' || n, $1::bigint - n, 'billing', 'nightly', 'node-a', 'success', '{}'::json FROM generate_series(1, $2::int) AS n`,
      [now - 120_000, expired],
    );
    await history.append([run('fresh', now)]);
    const [left] = await admin<{ count: string }>(`SELECT count(*)::text AS count FROM "${name}"`);
    expect(Number(left!.count)).toBe(expired - AGE_PRUNE_BATCH + 1);
    expect((await history.query({ limit: 1000 })).runs.map((kept) => kept.id)).toEqual(['fresh']);
    await history.append([run('fresh-2', now + 1)]);
    const [after] = await admin<{ count: string }>(`SELECT count(*)::text AS count FROM "${name}"`);
    expect(Number(after!.count)).toBe(2);
  });

  test('records with quotes, backslashes, dollar quotes, NUL and astral characters come back exactly as appended', async () => {
    const name = table('runs');
    const history = new PgRunHistory({ connectionString: DATABASE_URL, table: name });
    opened.push(history);
    await history.setup();
    const now = await serverNow();
    const hostile = {
      ...run(`q'\\"$$-1`, now),
      plugin: `o'brien\\x'); DROP TABLE "${name}"; --`,
      scheduleId: '$tag$ ünï 😀 \\ $$',
      outcome: 'error',
      error: `line 1\nE'\\' $$ '' \u0000 NUL: \0 ${'\u0000'} end`,
      metrics: { "it's": 1.5e300, 'back\\slash': -0 },
    } as const;
    await history.append([hostile]);
    const page = await history.query({ plugin: hostile.plugin, limit: 5 });
    expect(page.runs).toEqual([JSON.parse(JSON.stringify(hostile))]);
  });

  test('concurrent appends through several instances leave exactly maxRuns runs, the newest', async () => {
    const name = table('runs');
    const histories = Array.from({ length: 3 }, () => new PgRunHistory({ connectionString: DATABASE_URL, table: name, maxRuns: 20 }));
    opened.push(...histories);
    await histories[0]!.setup();
    const now = await serverNow();
    const batches = Array.from({ length: 12 }, (_, batch) => Array.from({ length: 4 }, (_, index) => run(`b${String(batch).padStart(2, '0')}-${index}`, now - 1000 + batch * 10 + index)));
    await Promise.all(batches.map((runs, index) => histories[index % histories.length]!.append(runs)));
    const newest = batches.flat().map((kept) => kept.id).reverse().slice(0, 20);
    expect((await histories[1]!.query({ limit: 100 })).runs.map((kept) => kept.id)).toEqual(newest);
    const [stored] = await admin<{ rows: string; counted: string }>(`SELECT (SELECT count(*) FROM "${name}")::text AS rows, (SELECT runs FROM "${name}_count")::text AS counted`);
    expect(stored).toEqual({ rows: '20', counted: '20' });
  });

  test('setup() takes the run count afresh, so runs deleted by hand do not make later appends drop too many', async () => {
    const name = table('runs');
    const history = new PgRunHistory({ connectionString: DATABASE_URL, table: name, maxRuns: 5 });
    opened.push(history);
    await history.setup();
    const now = await serverNow();
    await history.append(Array.from({ length: 5 }, (_, index) => run(`h-${index}`, now - 100 + index)));
    await admin(`DELETE FROM "${name}" WHERE id IN ('h-0', 'h-1', 'h-2')`);
    await history.setup();
    await history.append([run('h-5', now)]);
    expect((await history.query({ limit: 10 })).runs.map((kept) => kept.id)).toEqual(['h-5', 'h-4', 'h-3']);
  });

  test('a table name longer than 57 characters is refused: the count table beside it needs the room', () => {
    expect(() => new PgRunHistory({ connectionString: DATABASE_URL, table: 'r'.repeat(58) })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('PgRunHistory option "table" must be at most 57 characters') }),
    );
  });

  test("the indexes serve the store's own page queries, with and without a cursor and filters, without sorting", async () => {
    const name = table('runs');
    const history = new PgRunHistory({ connectionString: DATABASE_URL, table: name });
    opened.push(history);
    await history.setup();
    // The store's own statements, as it sends them, on a full table.
    const now = await serverNow();
    await history.append(Array.from({ length: 2000 }, (_, index) => run(`i-${String(index).padStart(4, '0')}`, now - index)));
    await admin(`ANALYZE "${name}"`);
    const statements = historyStatements(`"${name}"`, `"${name}_count"`);
    const pages = [
      { before: null, limit: 50 },
      { before: { startedAt: now - 100, id: 'i-0100' }, limit: 50 },
      { plugin: 'billing', scheduleId: 'nightly', before: { startedAt: now - 100, id: 'i-0100' }, limit: 50 },
    ];
    for (const page of pages) {
      const { text, values } = statements.query(page, 60_000);
      const plan = (await admin<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)).map((row) => row['QUERY PLAN']).join('\n');
      expect(plan, JSON.stringify(page)).toMatch(/Index (Only )?Scan/);
      expect(plan, JSON.stringify(page)).not.toContain('Sort');
    }
  });
});

describe('PgPresence', () => {
  test("a publish removes other nodes' expired rows; a node's own row is refreshed, not removed", async () => {
    const name = table('nodes');
    const presence = new PgPresence({ connectionString: DATABASE_URL, table: name });
    opened.push(presence);
    await presence.setup();
    const info = { version: '1', startedAt: 1, backend: 'pg', status: 'running' } as const;
    await presence.publish({ nodeId: 'gone', ...info }, 1000);
    await presence.publish({ nodeId: 'me', ...info }, 1000);
    await admin(`UPDATE "${name}" SET expires_at = now() - interval '1 second'`);
    expect(await presence.list()).toEqual([]);
    await presence.publish({ nodeId: 'me', ...info }, 60_000);
    expect((await admin<{ node_id: string }>(`SELECT node_id FROM "${name}" ORDER BY node_id`)).map((row) => row.node_id)).toEqual(['me']);
  });
});

describe('PgControl watchers', () => {
  function open(name: string, options: Partial<ConstructorParameters<typeof PgControl>[0]> = {}): PgControl {
    const control = new PgControl({ connectionString: `${DATABASE_URL}?application_name=${name}`, table: name, ...options });
    opened.push(control);
    return control;
  }

  async function listeners(name: string): Promise<number> {
    const rows = await admin(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query = $2`, [name, `LISTEN "${name}"`]);
    return rows.length;
  }

  test('a change reaches a watcher by NOTIFY, with no re-read due; the listening connection goes with the last watcher', async () => {
    const name = table('control');
    const control = open(name, { pollIntervalMs: NEVER_POLL_MS });
    await control.setup();
    const other = open(`${name}_peer`.slice(0, 63), { pollIntervalMs: NEVER_POLL_MS, table: name });
    const calls: PausedTarget[][] = [];
    const second: PausedTarget[][] = [];
    const stop = control.watch((paused) => calls.push(paused));
    const stopSecond = control.watch((paused) => second.push(paused));
    await until(async () => calls.length > 0 && second.length > 0 && (await listeners(name)) === 1, 'the watchers were called and one connection LISTENs');
    await other.pause({ kind: 'poller_job', jobId: 'calendar' }, { by: 'ops' });
    await until(() => calls.at(-1)?.length === 1 && second.at(-1)?.length === 1, 'a pause through a peer reached both watchers by NOTIFY');
    expect(calls.at(-1)![0]).toMatchObject({ target: { kind: 'poller_job', jobId: 'calendar' }, by: 'ops' });
    stop();
    expect(await listeners(name)).toBe(1);
    stopSecond();
    await until(async () => (await listeners(name)) === 0, 'the listening connection was released after the last watcher left');
  });

  test('a watcher is never told an older list after a newer one while a peer changes the list quickly', async () => {
    const name = table('control');
    const control = open(name, { pollIntervalMs: 20 });
    await control.setup();
    const other = open(name, { pollIntervalMs: 20 });
    const sizes: number[] = [];
    const stop = control.watch((paused) => sizes.push(paused.length));
    try {
      for (let index = 0; index < 30; index += 1) await other.pause({ kind: 'poller_job', jobId: `job-${String(index).padStart(2, '0')}` });
      await until(() => sizes.at(-1) === 30, 'the watcher was told the final list');
      for (let index = 1; index < sizes.length; index += 1) expect(sizes[index]).toBeGreaterThanOrEqual(sizes[index - 1]!);
    } finally {
      stop();
    }
  });

  test('a listening connection terminated by the server is replaced, and changes keep arriving', async () => {
    const name = table('control');
    const control = open(name, { pollIntervalMs: 50 });
    await control.setup();
    const other = open(`${name}_peer`.slice(0, 63), { table: name });
    const calls: PausedTarget[][] = [];
    const stop = control.watch((paused) => calls.push(paused));
    try {
      await until(async () => (await listeners(name)) === 1, 'a connection LISTENs');
      const killed = await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query = $2`, [name, `LISTEN "${name}"`]);
      expect(killed).toHaveLength(1);
      await until(async () => (await listeners(name)) === 1 && calls.length > 0, 'a new connection LISTENs');
      await other.pause({ kind: 'schedule', plugin: 'billing', scheduleId: 'nightly' });
      await until(() => calls.at(-1)?.length === 1, 'a pause after the loss reached the watcher');
    } finally {
      stop();
    }
  });

  test('close() stops every watcher and releases the listening connection', async () => {
    const name = table('control');
    const control = open(name, { pollIntervalMs: 20 });
    await control.setup();
    const calls: PausedTarget[][] = [];
    control.watch((paused) => calls.push(paused));
    await until(async () => calls.length > 0 && (await listeners(name)) === 1, 'the watcher was called');
    await control.close();
    const seen = calls.length;
    await until(async () => (await listeners(name)) === 0, 'the listening connection was released');
    const other = open(`${name}_peer`.slice(0, 63), { table: name, pollIntervalMs: 20 });
    const witness: PausedTarget[][] = [];
    other.watch((paused) => witness.push(paused));
    await other.pause({ kind: 'poller_job', jobId: 'after-close' });
    await until(() => witness.at(-1)?.length === 1, 'a watcher on a peer was told of the pause');
    // The closed store's re-reads, every 20 ms, would have been due many times over by now.
    expect(calls.length).toBe(seen);
  });
});
