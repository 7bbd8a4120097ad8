import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BelfryHost } from '@belfry/host';
import { ManualClock } from '@belfry/scheduler-core';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '@belfry/stateful-registry';
import type { RunRecord } from '@belfry/plugin-api';
import { createDashboard, type Dashboard, type DashboardOptions, type DashboardRun } from '../src/index.js';
import { START, startTestHost } from './real-host.js';

const open: { host: BelfryHost; dashboard: Dashboard }[] = [];
afterEach(async () => {
  for (const { host, dashboard } of open.splice(0)) {
    dashboard.close();
    await host.stop({ graceMs: 0 });
  }
});

async function setUp(extra: Partial<DashboardOptions> = {}) {
  const { host, clock } = await startTestHost();
  const dashboard = createDashboard({ host, ...extra });
  open.push({ host, dashboard });
  const get = async (path: string) => {
    const response = await dashboard.fetch(new Request(`http://127.0.0.1:4600${path}`, { headers: { host: '127.0.0.1:4600' } }));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] };
  };
  return { host, clock, dashboard, get };
}

describe('GET /api/status and /api/runs', () => {
  it('reports the node, its backend, every plugin and each schedule with its locking hint and next and last run', async () => {
    const { clock, get } = await setUp({ version: '9.9.9' });
    await clock.advance(20_000);
    const { status, body } = await get('/api/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({ nodeId: 'node-a', backend: 'memory', state: 'running', actions: false, clusterHistory: false, clusterPaused: null });
    expect(body.nodes).toEqual([{ nodeId: 'node-a', version: '9.9.9', startedAt: START, backend: 'memory', status: 'running' }]);
    expect(body.plugins).toEqual(
      expect.arrayContaining([
        { id: 'ticker', name: 'ticker', version: '1.2.3', capabilities: ['scheduled'] },
        { id: 'keeper', name: 'keeper', version: '1.2.3', capabilities: ['stateful', 'lifecycle'] },
      ]),
    );
    expect(body.schedules).toContainEqual(
      expect.objectContaining({ plugin: 'ticker', scheduleId: 'tick', locking: 'require_global', nextRunAt: START + 30_000, lastRunAt: START + 20_000, lastOutcome: 'success' }),
    );
    expect(body.schedules).toContainEqual(expect.objectContaining({ plugin: 'flaky', scheduleId: 'fail', lastOutcome: 'error', lastError: 'upstream said no' }));
    // A host without [[pollers]] jobs reports an empty list.
    expect(body.pollers?.jobs ?? []).toEqual([]);
  });

  it('lists recent runs newest first with the contract fields', async () => {
    const { clock, get } = await setUp();
    await clock.advance(20_000);
    const body = (await get('/api/runs')).body as unknown as DashboardRun[];
    // Runs of the same instant finish in either order.
    expect(body.map((r) => `${r.plugin}@${r.scheduledAt - START}`).slice(0, 2).sort()).toEqual(['flaky@20000', 'ticker@20000']);
    expect(body[2]).toMatchObject({ plugin: 'ticker', scheduledAt: START + 10_000 });
    const latest = body.find((r) => r.plugin === 'ticker' && r.scheduledAt === START + 20_000);
    expect(latest).toEqual(
      expect.objectContaining({ plugin: 'ticker', scheduleId: 'tick', scheduledAt: START + 20_000, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt: START + 20_000, durationMs: 0 }),
    );
    expect(latest!.fence).toBeGreaterThan(0);
  });

  it('passes the host pollers section through when the host reports one', async () => {
    const { host } = await startTestHost();
    const pollers = { jobs: [{ id: 'team_calendar', kind: 'rss', lastTick: { outcome: 'ok', metrics: { items: 3 } }, cursor: { etag: 'x' } }] };
    const withPollers = { ...host, runs: host.runs, scheduler: host.scheduler, status: () => ({ ...host.status(), pollers }) };
    const dashboard = createDashboard({ host: withPollers });
    open.push({ host, dashboard });
    const response = await dashboard.fetch(new Request('http://localhost/api/status', { headers: { host: 'localhost' } }));
    expect(((await response.json()) as { pollers: unknown }).pollers).toEqual(pollers);
  });
});

describe('GET /api/history', () => {
  it('filters this node’s runs by plugin, schedule, outcome and node', async () => {
    const { clock, get } = await setUp();
    await clock.advance(60_000);
    const errors = (await get('/api/history?outcome=error')).body as unknown as { runs: DashboardRun[] };
    expect(errors.runs.map((r) => r.scheduledAt - START)).toEqual([60_000, 40_000, 20_000]);
    expect(errors.runs.every((r) => r.plugin === 'flaky' && r.outcome === 'error')).toBe(true);
    const ticks = (await get('/api/history?plugin=ticker&scheduleId=tick')).body as unknown as { runs: DashboardRun[] };
    expect(ticks.runs).toHaveLength(6);
    expect(((await get('/api/history?nodeId=node-b')).body as unknown as { runs: unknown[] }).runs).toEqual([]);
  });

  it('pages through this node’s runs without losing or repeating one, even when runs share a millisecond', async () => {
    const { clock, get } = await setUp();
    await clock.advance(100_000);
    const all = ((await get('/api/history?limit=1000')).body as unknown as { runs: DashboardRun[] }).runs;
    expect(all).toHaveLength(15);
    const seen: DashboardRun[] = [];
    let before: string | number | null = null;
    let pages = 0;
    do {
      const query: string = before === null ? '' : `&before=${before}`;
      const page = (await get(`/api/history?limit=4${query}`)).body as unknown as { runs: DashboardRun[]; next: string | null };
      seen.push(...page.runs);
      before = page.next;
      pages += 1;
    } while (before !== null);
    expect(pages).toBe(4);
    expect(seen).toEqual(all);
  });

  it('answers 400 naming the parameter for a bad query', async () => {
    const { get } = await setUp();
    expect(await get('/api/history?outcome=maybe')).toEqual({ status: 400, body: { error: 'Bad query: outcome must be one of success, error, skipped, got "maybe"' } });
    expect((await get('/api/history?limit=0')).body).toEqual({ error: 'Bad query: limit must be an integer from 1 to 1000, got "0"' });
  });

  it('reads the cluster run history, live nodes and pauses from the cluster stores when given', async () => {
    const run = (id: string, nodeId: string, ago: number, extra: Partial<RunRecord> = {}): RunRecord => ({
      id,
      plugin: 'ticker',
      scheduleId: 'tick',
      scheduledAt: START - ago,
      nodeId,
      locking: 'require_global',
      outcome: 'success',
      startedAt: START - ago,
      durationMs: 5,
      isCatchup: false,
      manual: false,
      ...extra,
    });
    const clock = new ManualClock(START);
    const history = new MemoryRunHistory({ clock });
    const clusterRuns = [
      run('r3', 'node-b', 0, { fence: 7 }),
      run('r2', 'node-c', 10_000, { outcome: 'error', error: 'boom' }),
      run('r1', 'node-b', 20_000, { plugin: 'other', scheduleId: 'x', outcome: 'skipped', skipReason: 'lock_contended', durationMs: 0 }),
    ];
    await history.append(clusterRuns);
    const presence = new MemoryPresence({ clock });
    await presence.publish({ nodeId: 'node-b', version: '1.0.0', startedAt: START - 60_000, backend: 'redis', status: 'running' }, 30_000);
    await presence.publish({ nodeId: 'node-c', version: '1.0.1', startedAt: START - 30_000, backend: 'redis', status: 'stopping' }, 30_000);
    const control = new MemoryControl({ clock });
    await control.pause({ kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' }, { by: 'ops', reason: 'upstream maintenance' });
    const { get } = await setUp({ history, presence, control });

    const page = (await get('/api/history?plugin=ticker&limit=1')).body as unknown as { runs: DashboardRun[]; next: string };
    expect(page.runs).toEqual([clusterRuns[0]]);
    expect(typeof page.next).toBe('string');
    const second = (await get(`/api/history?plugin=ticker&limit=1&before=${encodeURIComponent(page.next)}`)).body as unknown as { runs: DashboardRun[]; next: null };
    expect(second).toEqual({ runs: [clusterRuns[1]], next: null });
    expect(((await get('/api/history?outcome=skipped')).body as unknown as { runs: DashboardRun[] }).runs).toEqual([clusterRuns[2]]);

    const status = (await get('/api/status')).body;
    expect(status.nodes).toEqual([
      { nodeId: 'node-b', version: '1.0.0', startedAt: START - 60_000, backend: 'redis', status: 'running', lastSeenAt: START },
      { nodeId: 'node-c', version: '1.0.1', startedAt: START - 30_000, backend: 'redis', status: 'stopping', lastSeenAt: START },
    ]);
    expect(status).toMatchObject({
      clusterHistory: true,
      clusterPaused: [{ target: { kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' }, by: 'ops', reason: 'upstream maintenance', pausedAt: START }],
    });
    expect((await get('/api/runs')).body).toEqual(clusterRuns);
  });
});

describe('mounted in another app', () => {
  it('serves the page and its JSON under a prefix', async () => {
    const { dashboard } = await setUp();
    const app = new Hono();
    app.get('/', (c) => c.text('the host app'));
    app.route('/belfry', dashboard.app);
    const get = (path: string) => app.fetch(new Request(`http://localhost${path}`, { headers: { host: 'localhost:3000' } }));
    expect(await (await get('/')).text()).toBe('the host app');
    const root = await get('/belfry');
    expect({ status: root.status, location: root.headers.get('location') }).toEqual({ status: 302, location: '/belfry/index.html' });
    expect(await (await get('/belfry/index.html')).text()).toContain('<script src="app.js" type="module"></script>');
    expect(await (await get('/belfry/api/status')).json()).toMatchObject({ nodeId: 'node-a' });
    expect((await get('/belfry/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});

describe('a cluster store that fails', () => {
  it('answers 500 saying why, and logs a failing live update once, not every interval', async () => {
    const presence = { list: async () => Promise.reject(new Error('presence store unreachable at redis://:hunter2@10.0.0.9:6379')) };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { get, dashboard } = await setUp({ presence });
      const response = await get('/api/status');
      expect(response.status).toBe(500);
      expect(String(response.body.error)).toContain('presence store unreachable');
      expect(String(response.body.error)).not.toContain('hunter2');
      await dashboard.refresh();
      await dashboard.refresh();
      expect(error).toHaveBeenCalledTimes(1);
      expect(String(error.mock.calls[0]![0])).not.toContain('hunter2');
    } finally {
      error.mockRestore();
    }
  });
});

describe('createDashboard options', () => {
  it.each([
    [{}, 'createDashboard: options.host must be a started BelfryHost (status(), runs.recent(), scheduler), got undefined'],
    [{ history: {} }, 'createDashboard: options.history must be a RunHistory { query(filter) }'],
    [{ presence: [] }, 'createDashboard: options.presence must be a Presence { list() }'],
    [{ control: { pause() {} } }, 'createDashboard: options.control must be a Control { pause(target), resume(target), paused() }'],
    [{ updateIntervalMs: 10 }, 'createDashboard: options.updateIntervalMs must be an integer from 50 to 60000, got 10'],
    [{ allowedHosts: ['evil.example/x'] }, 'createDashboard: options.allowedHosts must be a non-empty array of host names'],
  ])('refuses %j with a message naming the option', async (bad, message) => {
    const { host } = await startTestHost();
    try {
      const options = { host, ...bad } as DashboardOptions;
      if (!('host' in bad) && Object.keys(bad).length === 0) delete (options as Partial<DashboardOptions>).host;
      expect(() => createDashboard(options)).toThrow(message);
    } finally {
      await host.stop({ graceMs: 0 });
    }
  });

  it('never echoes a bad operator token', async () => {
    const { host } = await startTestHost();
    try {
      const secret = 'short secret';
      expect(() => createDashboard({ host, operatorToken: secret })).toThrow(
        'createDashboard: options.operatorToken must be a string of at least 16 characters without whitespace, got a string of 12 characters containing whitespace',
      );
    } finally {
      await host.stop({ graceMs: 0 });
    }
  });
});
