import { afterEach, describe, expect, it } from 'vitest';
import type { BelfryHost } from '@belfry/host';
import { MemoryControl } from '@belfry/stateful-registry';
import { createDashboard, type Dashboard, type DashboardOptions } from '../src/index.js';
import { START, startTestHost } from './real-host.js';

const TOKEN = 'operator-token-0123456789';
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
  const post = async (action: string, body: unknown, authorization?: string) => {
    const headers: Record<string, string> = { host: '127.0.0.1', 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) };
    const response = await dashboard.fetch(new Request(`http://127.0.0.1/api/actions/${action}`, { method: 'POST', headers, body: JSON.stringify(body) }));
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, auth: response.headers.get('www-authenticate') };
  };
  const schedule = (plugin: string) => host.status().scheduler.schedules.find((s) => s.plugin === plugin)!;
  return { host, clock, post, schedule };
}

describe('actions without an operator token', () => {
  it('do not exist: every action route answers 404 and the status says the dashboard is read-only', async () => {
    const { post, host } = await setUp();
    for (const action of ['run', 'pause', 'resume']) {
      const response = await post(action, { plugin: 'ticker', scheduleId: 'tick' }, `Bearer ${TOKEN}`);
      expect(response).toMatchObject({ status: 404, body: { error: 'Actions are disabled: the dashboard has no operator token configured.' } });
    }
    expect(host.runs.recent()).toEqual([]);
    expect(host.status().scheduler.schedules.every((s) => !s.paused)).toBe(true);
  });
});

describe('actions with an operator token', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer operator-token-0123456780'],
    ['a prefix of the token', 'Bearer operator-token'],
    ['the token in another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('refuses a request with %s (401, nothing done)', async (_label, authorization) => {
    const { post, host, schedule } = await setUp({ operatorToken: TOKEN });
    for (const action of ['run', 'pause']) {
      const response = await post(action, { plugin: 'ticker', scheduleId: 'tick' }, authorization);
      expect(response).toEqual({ status: 401, body: { error: 'This action needs the operator token: send Authorization: Bearer <token>.' }, auth: 'Bearer realm="belfry"' });
    }
    expect(host.runs.recent()).toEqual([]);
    expect(schedule('ticker').paused).toBe(false);
  });

  it('runs a schedule now with the token', async () => {
    const { post, host } = await setUp({ operatorToken: TOKEN });
    expect(await post('run', { plugin: 'ticker', scheduleId: 'tick' }, `Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { outcome: 'success' } });
    expect(host.runs.recent()).toEqual([expect.objectContaining({ plugin: 'ticker', scheduleId: 'tick', outcome: 'success', startedAt: START })]);
  });

  it('pauses and resumes one schedule on this node’s scheduler when there is no cluster control', async () => {
    const { post, clock, host, schedule } = await setUp({ operatorToken: TOKEN });
    expect(await post('pause', { plugin: 'ticker', scheduleId: 'tick' }, `Bearer ${TOKEN}`)).toMatchObject({
      status: 200,
      body: { paused: { kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' }, scope: 'node' },
    });
    expect(schedule('ticker').paused).toBe(true);
    await clock.advance(10_000);
    expect(host.runs.recent().filter((r) => r.plugin === 'ticker')).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'paused' })]);
    expect(await post('resume', { plugin: 'ticker', scheduleId: 'tick' }, `Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { scope: 'node' } });
    expect(schedule('ticker').paused).toBe(false);
    const job = await post('pause', { jobId: 'team_calendar' }, `Bearer ${TOKEN}`);
    expect(job).toMatchObject({ status: 404, body: { error: 'No poller job "team_calendar" on this node (host.status().pollers lists the jobs).' } });
  });

  it('pauses a poller job on this node through the schedule the host registered it under', async () => {
    const { host } = await startTestHost();
    // The host reports job "tick" as registered under scheduler plugin "ticker".
    const pollers = { cursorStore: 'file', jobs: [{ id: 'tick', kind: 'rss', plugin: 'feeds', schedulePlugin: 'ticker' }] };
    const dashboard = createDashboard({ host: { runs: host.runs, scheduler: host.scheduler, status: () => ({ ...host.status(), pollers }) }, operatorToken: TOKEN });
    open.push({ host, dashboard });
    const response = await dashboard.fetch(
      new Request('http://127.0.0.1/api/actions/pause', { method: 'POST', headers: { host: '127.0.0.1', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ jobId: 'tick' }) }),
    );
    expect(await response.json()).toEqual({ paused: { kind: 'poller_job', jobId: 'tick' }, scope: 'node' });
    expect(host.status().scheduler.schedules.find((s) => s.plugin === 'ticker')!.paused).toBe(true);
  });

  it('pauses and resumes cluster-wide through the control store when one is given, saying who and why', async () => {
    const control = new MemoryControl({ clock: { now: () => START, setTimer: () => () => {} } });
    const { post, schedule } = await setUp({ operatorToken: TOKEN, control });
    expect(await post('pause', { plugin: 'ticker', scheduleId: 'tick', reason: 'deploying' }, `bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { scope: 'cluster' } });
    expect(await post('pause', { jobId: 'team_calendar' }, `Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { paused: { kind: 'poller_job', jobId: 'team_calendar' } } });
    expect(await control.paused()).toEqual([
      { target: { kind: 'poller_job', jobId: 'team_calendar' }, by: 'dashboard on node-a', pausedAt: START },
      { target: { kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' }, by: 'dashboard on node-a', reason: 'deploying', pausedAt: START },
    ]);
    expect(await post('resume', { plugin: 'ticker', scheduleId: 'tick' }, `Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { resumed: { kind: 'schedule' }, scope: 'cluster' } });
    expect((await control.paused()).map((p) => p.target.kind)).toEqual(['poller_job']);
    // The local scheduler is left to the host, which honours the control store.
    expect(schedule('ticker').paused).toBe(false);
  });

  it('answers 400 with the reason for a bad target', async () => {
    const { post } = await setUp({ operatorToken: TOKEN });
    const auth = `Bearer ${TOKEN}`;
    expect(await post('run', { plugin: 'ticker' }, auth)).toMatchObject({ status: 400, body: { error: 'plugin and scheduleId are both required' } });
    expect(await post('pause', { scheduleId: 'tick' }, auth)).toMatchObject({ status: 400, body: { error: 'give either plugin and scheduleId (a schedule) or jobId (a poller job)' } });
    expect(await post('pause', { plugin: 'ticker', scheduleId: 'tick', reason: 'x'.repeat(1025) }, auth)).toMatchObject({ status: 400, body: { error: 'reason must be a string of at most 1024 characters' } });
    expect(await post('pause', { plugin: 7, scheduleId: 'tick' }, auth)).toMatchObject({ status: 400, body: { error: 'plugin must be a string of 1 to 256 characters' } });
    const unknown = await post('run', { plugin: 'nope', scheduleId: 'tick' }, auth);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('nope');
  });
});
