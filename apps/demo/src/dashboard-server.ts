import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { BelfryHost } from '@belfry/host';
import { isLoopbackBind, loopbackHostGuard } from './loopback-host-guard.js';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '../public');
const assets: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/** `/api/status` body: the contract's fields plus what the page shows. */
function statusBody(host: BelfryHost) {
  const status = host.status();
  return {
    nodeId: status.nodeId,
    backend: status.backend,
    startedAt: status.startedAt,
    state: status.scheduler.state,
    schedules: status.scheduler.schedules.map((s) => ({
      plugin: s.plugin,
      scheduleId: s.scheduleId,
      description: s.description ?? null,
      expression: s.expression,
      timezone: s.timezone,
      locking: s.locking,
      paused: s.paused,
      running: s.running,
      nextRunAt: s.nextRunAt,
      lastRunAt: s.lastRunAt,
      lastOutcome: s.lastOutcome,
      lastDurationMs: s.lastDurationMs,
      lastSkipReason: s.lastSkipReason,
      lastError: s.lastError?.message ?? null,
      runCount: s.runCount,
      errorCount: s.errorCount,
    })),
    plugins: status.plugins,
    warnings: status.warnings,
    locks: status.locks,
    snapshots: status.snapshots,
    pollers: status.pollers,
  };
}

/**
 * The dashboard's routes: the page, its assets, JSON, and a live event
 * stream. On a loopback bind, only requests addressed to a loopback name and
 * the served port (`port()`) are answered.
 */
function dashboardApp(host: BelfryHost, bind: string, port: () => number): Hono {
  const app = new Hono();
  if (isLoopbackBind(bind)) app.use('*', loopbackHostGuard(bind, port));
  app.get('/api/status', (c) => c.json(statusBody(host)));
  app.get('/api/runs', (c) => {
    const limit = Number(c.req.query('limit') ?? 200);
    return c.json(host.runs.recent(Number.isInteger(limit) && limit > 0 ? limit : 200));
  });
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        await stream.writeSSE({ event: 'status', data: JSON.stringify({ status: statusBody(host), runs: host.runs.recent(100) }) });
        await stream.sleep(1000);
      }
    }),
  );
  for (const [path, [file, type]] of Object.entries(assets)) {
    app.get(path, (c) => c.body(readFileSync(join(publicDir, file)), 200, { 'content-type': type, 'cache-control': 'no-store' }));
  }
  return app;
}

/** Serves the dashboard; resolves with the server and the URL once it listens. */
export function startDashboard(host: BelfryHost, settings: { host: string; port: number }): Promise<{ server: ServerType; url: string }> {
  const { host: hostname, port } = settings;
  let served = port;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: dashboardApp(host, hostname, () => served).fetch, hostname, port }, (info) => {
      served = info.port;
      resolve({ server, url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}/` });
    });
    server.once('error', reject);
  });
}
