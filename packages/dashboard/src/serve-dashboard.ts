import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { createDashboard, type Dashboard, type ServedPortOption } from './create-dashboard.js';
import type { DashboardOptions } from './dashboard-options.js';
import { isLoopbackBind, LOOPBACK_NAMES } from './host-guard.js';

/** Options of `serveDashboard`: the dashboard's, plus where to listen. */
export interface ServeDashboardOptions extends DashboardOptions {
  /** Port to listen on; 0 picks a free one. Default 4600. */
  port?: number;
  /**
   * Interface to bind. Default `127.0.0.1`. On a loopback bind the dashboard
   * answers only to loopback names with the port it serves; on any other bind
   * it answers to `allowedHosts`, or to any `Host` when that is not given.
   */
  hostname?: string;
}

/** A dashboard listening on a port. */
export interface ServedDashboard {
  /** `http://127.0.0.1:4600/`: where the page is. */
  url: string;
  /** The port listened on (the one picked when 0 was asked). */
  port: number;
  dashboard: Dashboard;
  server: Server;
  /** Ends the live streams and closes the server; resolves once it is closed. */
  close(): Promise<void>;
}

const DEFAULT_PORT = 4600;

/** Serves `createDashboard(options)` on a Node HTTP server; resolves once listening. */
export async function serveDashboard(options: ServeDashboardOptions): Promise<ServedDashboard> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`serveDashboard: options must be an object { host, port?, hostname?, … }, got ${describeValue(options)}`);
  const { port = DEFAULT_PORT, hostname = '127.0.0.1', ...rest } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`serveDashboard: options.port must be an integer from 0 to 65535, got ${describeValue(port)}`);
  if (typeof hostname !== 'string' || hostname === '' || /[\s/]/.test(hostname)) {
    throw new InvalidArgumentError(`serveDashboard: options.hostname must be an interface name or address such as "127.0.0.1", got ${describeValue(hostname)}`);
  }
  let served = port;
  const loopback = isLoopbackBind(hostname);
  const bracketed = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  const allowedHosts = rest.allowedHosts ?? (loopback ? [...new Set([...LOOPBACK_NAMES, bracketed.toLowerCase()])] : ['*']);
  const dashboardOptions: DashboardOptions & ServedPortOption = { ...rest, allowedHosts, ...(loopback ? { servedPort: () => served } : {}) };
  const dashboard = createDashboard(dashboardOptions);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = serve({ fetch: dashboard.fetch, hostname, port }, (info) => {
      served = info.port;
      resolve(listening as Server);
    });
    listening.once('error', (error) => {
      dashboard.close();
      reject(error);
    });
  });
  return {
    url: `http://${bracketed}:${served}/`,
    port: served,
    dashboard,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        dashboard.close();
        server.close(() => resolve());
        // Live event streams never end on their own.
        server.closeAllConnections();
      }),
  };
}
