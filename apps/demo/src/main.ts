import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDashboard } from '@belfry/dashboard';
import { runHost } from '@belfry/host';
import { errorText, redactSecrets } from '@belfry/internal';
import { dashboardSettings, dashboardTable } from './dashboard-settings.js';
import { startDemoFeeds } from './demo-feeds.js';
import { logProcessedItems } from './processed-items-log.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let envCheck: unknown;
try {
  // BELFRY_PORT and BELFRY_DASHBOARD_TOKEN are read before the host starts, so a bad one never leaves a host half started.
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
    const { version } = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { version: string };
    // On Redis or PostgreSQL every node reads the cluster's history, nodes and pauses; alone in memory, its own run log is the freshest view.
    const cluster = host.config.locking.backend === 'memory' ? {} : host.cluster;
    const served = await serveDashboard({ host, ...cluster, hostname: dashboard.host, port: dashboard.port, version, operatorToken: dashboard.operatorToken });
    host.onStop(() => served.close());
    console.log(`Belfry dashboard: ${served.url}${dashboard.operatorToken === undefined ? '' : ' (actions enabled with the operator token)'}`);
  } catch (error) {
    console.error(redactSecrets(`belfry: cannot serve the dashboard on ${dashboard.host}:${dashboard.port}: ${errorText(error)}`));
    await host.stop();
    process.exit(1);
  }
}
