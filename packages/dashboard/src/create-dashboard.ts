import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { systemClock } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';
import { addActionRoutes } from './action-routes.js';
import { assertDashboardOptions } from './assert-dashboard-options.js';
import { DashboardData } from './dashboard-data.js';
import type { DashboardOptions } from './dashboard-options.js';
import { hostGuard, LOOPBACK_NAMES } from './host-guard.js';
import { LiveBroadcaster } from './live-broadcaster.js';
import { parseRunQuery, RunQueryError } from './run-query.js';
import { loadStaticAssets } from './static-assets.js';
import { instrumentScheduler } from './telemetry/instrument-scheduler.js';

const DEFAULT_UPDATE_INTERVAL_MS = 1000;
/** `/api/runs` (the contract's plain list) answers this many when no `limit` is given. */
const RECENT_RUNS = 200;

/** Headers of the page and its files: no framing, no sniffing, nothing loaded from elsewhere. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** A mounted dashboard: hand `fetch` to any server (`@hono/node-server`, Bun, Deno) or mount `app` in a Hono app. */
export interface Dashboard {
  /** The fetch handler: `Request` in, `Response` out. */
  fetch: (request: Request) => Response | Promise<Response>;
  /** The same routes as a Hono app, for `app.route('/belfry', dashboard.app)`. */
  app: Hono;
  /** The registry `/metrics` serves, or null when metrics are off. */
  registry: Registry | null;
  /** Live clients connected now. */
  readonly liveClients: number;
  /** Rebuilds the live update now (otherwise done on the update interval when something changed). */
  refresh(): Promise<void>;
  /** Ends the live streams, stops the timers and the scheduler instrumentation. */
  close(): void;
}

/** @internal Set by `serveDashboard`: narrows bare allowed names to the port it listens on. */
export interface ServedPortOption {
  servedPort?: () => number;
}

/**
 * The dashboard as a fetch handler: the page, `GET /api/status`,
 * `GET /api/runs` (recent runs), `GET /api/history` (filtered pages),
 * `GET /api/events` (live updates, server-sent events), `GET /metrics`
 * (Prometheus) and, with an operator token, `POST /api/actions/{run,pause,resume}`.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  assertDashboardOptions(options);
  const { host, history, presence, control, operatorToken } = options;
  const servedPort = (options as ServedPortOption).servedPort;
  const data = new DashboardData({ host, history, presence, control, version: options.version ?? 'unknown', actions: operatorToken !== undefined });
  const registry = options.metrics === false ? null : (options.metrics ?? new Registry());
  const instrumentation = registry === null ? null : instrumentScheduler(host.scheduler, { registry, tracer: options.tracer, pollers: () => host.status().pollers });
  // A store that is down fails every interval: say so once per distinct failure, not once a second.
  let lastFailure = '';
  const live = new LiveBroadcaster({
    build: async () => {
      const json = JSON.stringify(await data.live());
      lastFailure = '';
      return json;
    },
    clock: options.clock ?? systemClock,
    intervalMs: options.updateIntervalMs ?? DEFAULT_UPDATE_INTERVAL_MS,
    poll: history !== undefined || presence !== undefined || control !== undefined,
    onError: (error) => {
      const text = redactSecrets(errorText(error));
      if (text !== lastFailure) console.error(`belfry dashboard: live update failed: ${text}`);
      lastFailure = text;
    },
  });
  const changed = () => live.markDirty();
  const unsubscribe = (['run:start', 'run:success', 'run:error', 'run:skip'] as const).map((event) => host.scheduler.on(event, changed));

  const app = new Hono();
  app.use('*', hostGuard(options.allowedHosts ?? LOOPBACK_NAMES, servedPort));
  // Query strings the run routes reject are the caller's mistake: 400 with the reason.
  app.onError((error, c) =>
    error instanceof RunQueryError ? c.json({ error: `Bad query: ${error.message}` }, 400) : c.json({ error: `The dashboard could not answer: ${redactSecrets(errorText(error))}` }, 500),
  );
  app.get('/api/status', async (c) => c.json(await data.status()));
  app.get('/api/runs', async (c) => {
    const query = parseRunQuery({ limit: String(RECENT_RUNS), ...c.req.query() });
    return c.json((await data.runs(query)).runs);
  });
  app.get('/api/history', async (c) => c.json(await data.runs(parseRunQuery(c.req.query()))));
  app.get(
    '/api/events',
    (c) =>
      new Response(live.stream(), {
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
      }),
  );
  app.get('/metrics', async (c) => {
    if (registry === null) return c.text('Metrics are turned off for this dashboard.\n', 404);
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
  addActionRoutes(app, { token: operatorToken, scheduler: host.scheduler, control, pausedBy: () => `dashboard on ${host.status().nodeId}`, changed });
  // Mounted under a prefix, the root is `/prefix` without a slash, where the page's relative links
  // would miss the prefix: send the browser to `/prefix/index.html` instead.
  app.get('/', async (c, next) => (c.req.path.endsWith('/') ? next() : c.redirect(`${c.req.path}/index.html`, 302)));
  for (const [path, asset] of loadStaticAssets()) app.get(path, (c) => c.body(asset.body, 200, { ...PAGE_HEADERS, 'content-type': asset.type }));
  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));

  return {
    fetch: (request) => app.fetch(request),
    app,
    registry,
    get liveClients() {
      return live.clientCount;
    },
    refresh: () => live.refresh(),
    close() {
      for (const off of unsubscribe) off();
      instrumentation?.stop();
      live.close();
    },
  };
}
