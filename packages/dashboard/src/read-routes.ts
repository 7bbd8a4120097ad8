import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { DashboardData } from './dashboard-data.js';
import type { LiveBroadcaster } from './live-broadcaster.js';
import { parseRunQuery } from './run-query.js';

/** `/api/runs` (the contract's plain list) answers this many when no `limit` is given. */
const RECENT_RUNS = 200;

/** The read-only routes: status, runs, history pages, live events and metrics. */
export function addReadRoutes(app: Hono, { data, live, registry }: { data: DashboardData; live: LiveBroadcaster; registry: Registry | null }): void {
  app.get('/api/status', async (c) => c.json(await data.status()));
  app.get('/api/runs', async (c) => {
    const query = parseRunQuery({ limit: String(RECENT_RUNS), ...c.req.query() });
    return c.json((await data.runs(query)).runs);
  });
  app.get('/api/history', async (c) => c.json(await data.runs(parseRunQuery(c.req.query()))));
  app.get(
    '/api/events',
    () =>
      new Response(live.stream(), {
        // `x-accel-buffering: no` keeps a buffering proxy (nginx) from holding updates back.
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
      }),
  );
  app.get('/metrics', async (c) => {
    if (registry === null) return c.text('Metrics are turned off for this dashboard.\n', 404);
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
}
