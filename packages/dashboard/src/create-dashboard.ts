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
import { pollerJobs } from './poller-jobs.js';
import { addPageRoutes } from './page-routes.js';
import { addReadRoutes } from './read-routes.js';
import { RunQueryError } from './run-query.js';
import { instrumentScheduler } from './telemetry/instrument-scheduler.js';

const DEFAULT_UPDATE_INTERVAL_MS = 1000;
/** Below the idle timeouts of common proxies (nginx: 60 s). */
const KEEP_ALIVE_MS = 15_000;

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
    keepAliveMs: KEEP_ALIVE_MS,
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
  addReadRoutes(app, { data, live, registry });
  addActionRoutes(app, {
    token: operatorToken,
    scheduler: host.scheduler,
    control,
    pausedBy: () => `dashboard on ${host.status().nodeId}`,
    jobSchedulePlugin: (jobId) => pollerJobs(host.status().pollers).find((job) => job.id === jobId)?.schedulePlugin,
    changed,
  });
  addPageRoutes(app);
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
