import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHost } from '@belfry/host';
import { errorText, redactSecrets } from '@belfry/internal';
import { startDashboard } from './dashboard-server.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = await runHost({ file: process.env.BELFRY_CONFIG || join(appDir, 'belfry.config.toml') });
if (host !== undefined && host.config.dashboard.enabled) {
  try {
    const { server, url } = await startDashboard(host);
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
    console.error(redactSecrets(`belfry: cannot serve the dashboard on ${host.config.dashboard.host}:${host.config.dashboard.port}: ${errorText(error)}`));
    await host.stop();
    process.exit(1);
  }
}
