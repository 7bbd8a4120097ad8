import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { HOSTILE_PASSWORD, hostilePgUrls } from '@belfry/internal/testing';
import type { Logger } from '@belfry/plugin-api';
import { PgControl, PgPresence, PgRunHistory } from '../src/index.js';
import { dropTables, uniqueClusterTable } from './support/cluster-targets.js';
import { admin, DATABASE_URL, settle, silentListener, unusedPort } from './support/database.js';
import { HANG_GUARD_MS, expectNoPassword } from './support/faults.js';

type Store = PgRunHistory | PgPresence | PgControl;
const opened: Store[] = [];
const tables: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await dropTables(tables);
});

const NODE = { nodeId: 'node-a', version: '1', startedAt: 1, backend: 'pg', status: 'running' } as const;
const RUN = { id: 'r-1', plugin: 'billing', scheduleId: 'nightly', scheduledAt: 1, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt: 1, durationMs: 1, isCatchup: false, manual: false } as const;
const TARGET = { kind: 'poller_job', jobId: 'calendar' } as const;

/** Every call of each store, by the name its errors start with. */
function callsOf(connection: { connectionString: string } | { pool: pg.Pool }, timeoutMs: number): [string, () => Promise<unknown>][] {
  const history = new PgRunHistory({ ...connection, timeoutMs, table: 'runs' });
  const presence = new PgPresence({ ...connection, timeoutMs, table: 'nodes' });
  const control = new PgControl({ ...connection, timeoutMs, table: 'control' });
  opened.push(history, presence, control);
  return [
    ['PgRunHistory.setup()', () => history.setup()],
    ['PgRunHistory.append(1 runs)', () => history.append([RUN])],
    ['PgRunHistory.query()', () => history.query({ limit: 5 })],
    ['PgPresence.publish("node-a")', () => presence.publish(NODE, 1000)],
    ['PgPresence.list()', () => presence.list()],
    ['PgPresence.withdraw("node-a")', () => presence.withdraw('node-a')],
    ['PgControl.pause("poller_job:calendar")', () => control.pause(TARGET)],
    ['PgControl.resume("poller_job:calendar")', () => control.resume(TARGET)],
    ['PgControl.paused()', () => control.paused()],
  ];
}

describe('a server that is down or hangs', () => {
  test('a port nothing listens on: every call rejects with store_backend naming it, within the bound, without the password', async () => {
    const port = await unusedPort();
    for (const [where, call] of callsOf({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${port}/test` }, 1000)) {
      const attempt = await settle(call);
      expect(attempt.outcome, where).toBe('rejected');
      expect(attempt.value, where).toMatchObject({ code: 'store_backend', message: expect.stringContaining(`${where}: `) });
      expect(String((attempt.value as Error).message), where).toMatch(/ECONNREFUSED/);
      expect(attempt.ms, where).toBeLessThan(HANG_GUARD_MS);
      expectNoPassword(attempt.value);
    }
  });

  test('a listener that never answers: every call rejects once timeoutMs has passed, also through a given pool without a connect timeout', async () => {
    const listener = await silentListener();
    const url = `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${listener.port}/test`;
    const given = new pg.Pool({ connectionString: url });
    given.on('error', () => undefined);
    try {
      for (const connection of [{ connectionString: url }, { pool: given }]) {
        // setup() allows itself max(timeoutMs, 10 s); the other calls keep to timeoutMs.
        for (const [where, call] of callsOf(connection, 200).filter(([where]) => !where.endsWith('setup()'))) {
          const attempt = await settle(call);
          expect(attempt.outcome, where).toBe('rejected');
          expect(attempt.value, where).toMatchObject({ code: 'store_backend', message: expect.stringContaining(where) });
          expect(attempt.ms, where).toBeLessThan(HANG_GUARD_MS);
          expectNoPassword(attempt.value);
        }
      }
    } finally {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await listener.close();
      await given.end().catch(() => undefined);
    }
  });

  test('watching a server that drops every connection does not throw: each kind of failure is logged once, without the password, and no watcher is called', async () => {
    let connections = 0;
    const dropper = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const { port } = dropper.address() as AddressInfo;
    const warnings: string[] = [];
    const logger: Logger = { info() {}, warn: (message) => warnings.push(message), error() {} };
    const control = new PgControl({ connectionString: `postgres://postgres:${HOSTILE_PASSWORD}@127.0.0.1:${port}/test`, table: 'control', pollIntervalMs: 20, logger });
    opened.push(control);
    const calls: unknown[] = [];
    const stop = control.watch((paused) => calls.push(paused));
    try {
      const giveUpAt = performance.now() + HANG_GUARD_MS;
      // Many re-reads and LISTEN attempts fail meanwhile.
      while (connections < 20 && performance.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(connections).toBeGreaterThanOrEqual(20);
    } finally {
      stop();
      await new Promise((resolve) => dropper.close(resolve));
    }
    expect(calls).toEqual([]);
    expect(warnings.filter((warning) => warning.startsWith('PgControl: cannot read the paused list'))).toHaveLength(1);
    expect(warnings.filter((warning) => warning.startsWith('PgControl: cannot LISTEN'))).toHaveLength(1);
    for (const warning of warnings) expect(warning).not.toContain(HOSTILE_PASSWORD);
  });

  test('every hostile URL either throws invalid_argument or fails its calls with store_backend, never showing the password', async () => {
    for (const url of hostilePgUrls) {
      let calls: [string, () => Promise<unknown>][];
      try {
        calls = callsOf({ connectionString: url }, 300);
      } catch (error) {
        expect(error, url).toMatchObject({ code: 'invalid_argument' });
        expectNoPassword(error);
        continue;
      }
      for (const [where, call] of calls.filter(([where]) => where.endsWith('list()') || where.endsWith('query()') || where.endsWith('paused()'))) {
        const attempt = await settle(call);
        expect(attempt.ms, `${url} ${where}`).toBeLessThan(HANG_GUARD_MS);
        expect(attempt.value, `${url} ${where}`).toMatchObject({ code: 'store_backend' });
        expectNoPassword(attempt.value);
      }
    }
  });
});

describe('a connection terminated while its call waits on a row lock', () => {
  /** Runs `call` while `holder` keeps the lock it needs, ends the call's session once it waits, and returns how it settled. */
  async function terminatedWhileWaiting(name: string, lock: (holder: pg.Client) => Promise<unknown>, call: () => Promise<unknown>) {
    const holder = new pg.Client({ connectionString: DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await lock(holder);
      const pending = settle(call);
      let terminated = 0;
      const giveUpAt = performance.now() + HANG_GUARD_MS;
      while (terminated === 0 && performance.now() < giveUpAt) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const rows = await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [name]);
        terminated = rows.length;
      }
      expect(terminated).toBe(1);
      return await pending;
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  }

  function named(kind: string): { name: string; table: string; connectionString: string; timeoutMs: number } {
    const table = uniqueClusterTable(kind);
    tables.push(table);
    const name = `belfry-kill-${table}`;
    return { name, table, connectionString: `${DATABASE_URL}?application_name=${name}`, timeoutMs: 10_000 };
  }

  const killedMessage = (where: string) => ({ code: 'store_backend', message: expect.stringMatching(new RegExp(`^${where.replace(/[().]/g, '\\$&')}: terminating connection due to administrator command`)) });

  test('PgRunHistory.append waiting on the same run id being inserted elsewhere', async () => {
    const { name, table, ...options } = named('runs');
    const history = new PgRunHistory({ ...options, table });
    opened.push(history);
    await history.setup();
    const killed = await terminatedWhileWaiting(
      name,
      (holder) => holder.query(`INSERT INTO "${table}" (id, started_at, plugin, schedule_id, node_id, outcome, run) VALUES ('r-1', 1, 'p', 's', 'n', 'success', '{}')`),
      () => history.append([{ ...RUN, startedAt: Date.now() }]),
    );
    expect(killed.outcome).toBe('rejected');
    expect(killed.value).toMatchObject(killedMessage('PgRunHistory.append(1 runs)'));
    expect(killed.ms).toBeLessThan(HANG_GUARD_MS);
    await history.append([{ ...RUN, startedAt: Date.now() }]);
    expect((await history.query({ limit: 5 })).runs.map((run) => run.id)).toEqual(['r-1']);
  });

  test('PgPresence.publish waiting on its node row', async () => {
    const { name, table, ...options } = named('nodes');
    const presence = new PgPresence({ ...options, table });
    opened.push(presence);
    await presence.setup();
    await presence.publish(NODE, 60_000);
    const killed = await terminatedWhileWaiting(name, (holder) => holder.query(`SELECT 1 FROM "${table}" WHERE node_id = 'node-a' FOR UPDATE`), () => presence.publish({ ...NODE, status: 'stopping' }, 60_000));
    expect(killed.outcome).toBe('rejected');
    expect(killed.value).toMatchObject(killedMessage('PgPresence.publish("node-a")'));
    await presence.publish({ ...NODE, status: 'stopping' }, 60_000);
    expect((await presence.list()).map((node) => node.status)).toEqual(['stopping']);
  });

  test('PgControl.pause waiting on the change count', async () => {
    const { name, table, ...options } = named('control');
    const control = new PgControl({ ...options, table });
    opened.push(control);
    await control.setup();
    const killed = await terminatedWhileWaiting(name, (holder) => holder.query(`UPDATE "${table}" SET version = version WHERE key = 'version'`), () => control.pause(TARGET));
    expect(killed.outcome).toBe('rejected');
    expect(killed.value).toMatchObject(killedMessage('PgControl.pause("poller_job:calendar")'));
    expect(await control.paused()).toEqual([]);
    await control.pause(TARGET);
    expect((await control.paused()).map((entry) => entry.target)).toEqual([TARGET]);
  });
});
