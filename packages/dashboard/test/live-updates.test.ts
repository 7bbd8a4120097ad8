import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { BelfryHost } from '@belfry/host';
import { ManualClock } from '@belfry/scheduler-core';
import { serveDashboard, type ServedDashboard } from '../src/index.js';
import { START, startTestHost } from './real-host.js';
import { SseClient, until } from './sse-client.js';

/** Far beyond what a busy two-CPU machine needs; only here so a hang fails instead of stalling the run. */
const HANG_GUARD_MS = 60_000;
const CLIENTS = 1000;
const UPDATES = 20;
/** Reading and stalled clients together may cost at most this much heap each, all updates included. */
const MAX_HEAP_PER_CLIENT_BYTES = 64 * 1024;

const open: { host: BelfryHost; served: ServedDashboard; clients: SseClient[] }[] = [];
afterEach(async () => {
  for (const { host, served, clients } of open.splice(0)) {
    for (const client of clients) client.close();
    await served.close();
    await host.stop({ graceMs: 0 });
  }
});

async function setUp() {
  const { host, clock } = await startTestHost();
  // The dashboard's own clock: the tests decide when an update interval passes, apart from the runs.
  const dashboardClock = new ManualClock(START);
  const served = await serveDashboard({ host, port: 0, clock: dashboardClock });
  const entry = { host, served, clients: [] as SseClient[] };
  open.push(entry);
  const connect = (options?: { read?: boolean }) => {
    const client = new SseClient(served.port, options);
    entry.clients.push(client);
    return client;
  };
  return { host, clock, dashboardClock, served, connect };
}

/** `global.gc`, reached without starting node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function memory(): { heap: number; rss: number } {
  collectGarbage();
  collectGarbage();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

describe('live updates over server-sent events', () => {
  it('sends the state on connect, then one coalesced update per interval after runs', async () => {
    const { clock, dashboardClock, connect } = await setUp();
    const client = connect();
    await until(() => client.events === 1, 'the first update', HANG_GUARD_MS);
    expect(client.last!.status).toMatchObject({ nodeId: 'node-a', state: 'running' });
    expect(client.last!.runs).toEqual([]);
    // Three runs land within one interval: one update carries them all.
    await clock.advance(20_000);
    expect(client.events).toBe(1);
    await dashboardClock.advance(1_000);
    await until(() => client.events === 2, 'the update after the runs', HANG_GUARD_MS);
    expect(client.last!.runs.map((r) => r.scheduledAt - START).sort()).toEqual([10_000, 20_000, 20_000]);
    // Nothing changed: the next intervals send nothing.
    await dashboardClock.advance(5_000);
    expect(client.events).toBe(2);
  });

  it('keeps a quiet stream open with a comment every 15 s, and sends no keep-alive while updates flow', async () => {
    const { clock, dashboardClock, connect } = await setUp();
    const client = connect();
    await until(() => client.events === 1, 'the first update', HANG_GUARD_MS);
    await dashboardClock.advance(14_000);
    expect(client.comments).toBe(0);
    await dashboardClock.advance(1_000);
    await until(() => client.comments === 1, 'a keep-alive comment', HANG_GUARD_MS);
    for (let i = 0; i < 15; i++) {
      await clock.advance(10_000);
      await dashboardClock.advance(1_000);
    }
    await until(() => client.events === 16, 'an update per interval with runs', HANG_GUARD_MS);
    expect(client.comments).toBe(1);
  });

  it('refuses live updates to a foreign Host', async () => {
    const { served } = await setUp();
    const foreign = new SseClient(served.port, { host: `evil.example:${served.port}` });
    expect((await foreign.response).statusCode).toBe(403);
    foreign.close();
  });

  it(`stays bounded with ${CLIENTS} clients, half of them never reading`, async () => {
    const { clock, served, connect } = await setUp();
    const before = memory();
    const readers: SseClient[] = [];
    const stalled: SseClient[] = [];
    // Batches keep the connection burst inside the listen backlog.
    for (let batch = 0; batch < CLIENTS / 100; batch++) {
      const opened = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? connect() : connect({ read: false })));
      for (const [i, client] of opened.entries()) (i % 2 === 0 ? readers : stalled).push(client);
      await Promise.all(opened.map((client) => client.response));
    }
    await until(() => served.dashboard.liveClients === CLIENTS, `${CLIENTS} connected clients`, HANG_GUARD_MS);
    await until(() => readers.every((c) => c.events === 1), 'the first update on every reading client', HANG_GUARD_MS);
    const connected = memory();

    let halfway = connected;
    for (let update = 1; update <= UPDATES; update++) {
      await clock.advance(10_000);
      await served.dashboard.refresh();
      await until(() => readers.every((c) => c.events === update + 1), `update ${update} on every reading client`, HANG_GUARD_MS);
      if (update === UPDATES / 2) halfway = memory();
    }
    const after = memory();
    const latest = Math.max(...readers[0]!.last!.runs.map((r) => r.scheduledAt));
    expect(readers.every((c) => Math.max(...c.last!.runs.map((r) => r.scheduledAt)) === latest)).toBe(true);
    expect(latest).toBe(START + UPDATES * 10_000);

    const report = {
      clients: CLIENTS,
      stalledClients: stalled.length,
      updates: UPDATES,
      updateBytes: JSON.stringify(readers[0]!.last).length,
      heapGrowthConnectMiB: (connected.heap - before.heap) / 2 ** 20,
      heapGrowthFirstHalfOfUpdatesMiB: (halfway.heap - connected.heap) / 2 ** 20,
      heapGrowthSecondHalfOfUpdatesMiB: (after.heap - halfway.heap) / 2 ** 20,
      rssGrowthTotalMiB: (after.rss - before.rss) / 2 ** 20,
      heapPerClientBytes: Math.round((after.heap - before.heap) / CLIENTS),
    };
    mkdirSync(resolve(__dirname, '../test-results'), { recursive: true });
    writeFileSync(resolve(__dirname, '../test-results/sse-memory.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`live updates, ${CLIENTS} SSE clients: ${JSON.stringify(report)}`);
    expect(after.heap - before.heap).toBeLessThan(CLIENTS * MAX_HEAP_PER_CLIENT_BYTES);
    // Queued updates for the stalled half would grow by (UPDATES / 2) × updateBytes each over the
    // second half; a queue of one per client (and the stalled sockets' full buffers) keeps it flat.
    expect(after.heap - halfway.heap).toBeLessThan((stalled.length * (UPDATES / 2) * report.updateBytes) / 10);

    for (const client of [...readers, ...stalled]) client.close();
    await until(() => served.dashboard.liveClients === 0, 'every client to be let go', HANG_GUARD_MS);
  });
});
