import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHost } from '@belfry/host';
import { errorText, redactSecrets } from '@belfry/internal';
import { startDashboard } from './dashboard-server.js';
import { dashboardSettings, dashboardTable } from './dashboard-settings.js';
import { startDemoFeeds } from './demo-feeds.js';
import { logProcessedItems } from './processed-items-log.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let envCheck: unknown;
try {
  // BELFRY_PORT is read before the host starts, so a bad one never leaves a host half started.
  dashboardSettings(undefined, process.env);
} catch (error) {
  envCheck = error;
}
if (envCheck !== undefined) {
  process.stderr.write(`belfry: cannot start: ${errorText(envCheck)}\n`);
  process.exit(1);
}
// The feeds feed_poller polls, served by the demo itself; the poller process learns where from DEMO_FEED_URL.
// Unreferenced: it lives as long as the process, which runHost ends once the host has stopped.
const feeds = await startDemoFeeds();
feeds.server.unref();
const host = await runHost({
  file: process.env.BELFRY_CONFIG || join(appDir, 'belfry.config.toml'),
  extraTables: { dashboard: dashboardTable },
  pollerEnv: { feed_poller: { DEMO_FEED_URL: feeds.url } },
});
if (host !== undefined) logProcessedItems(host);
const dashboard = host === undefined ? undefined : dashboardSettings(host.config.extra?.dashboard, process.env);
if (host !== undefined && dashboard?.enabled === true) {
  try {
    const { server, url } = await startDashboard(host, dashboard);
    host.onStop(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Live event streams never end on their own.
          (server as Server).closeAllConnections?.();
        }),
    );
    console.log(`Belfry dashboard: ${url}`);
  } catch (error) {
    console.error(redactSecrets(`belfry: cannot serve the dashboard on ${dashboard.host}:${dashboard.port}: ${errorText(error)}`));
    await host.stop();
    process.exit(1);
  }
}
