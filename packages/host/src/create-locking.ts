import { type LockingPlugin } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';
import { MemoryLocking } from '@belfry/locking-memory';
import type { HostConfig } from './host-config.js';
import { checkServerUrls } from './check-server-urls.js';
import { HostConfigError, HostStartError } from './host-errors.js';
import { secretsOf } from './secrets-of.js';

type Constructor = new (options: Record<string, unknown>) => LockingPlugin & { setup?(): Promise<void> };

/** Imports an optional backend package, saying how to install it when it is missing. */
async function importBackend(packageName: string, exportName: string): Promise<Constructor> {
  let module: Record<string, unknown>;
  try {
    module = (await import(packageName)) as Record<string, unknown>;
  } catch (error) {
    throw new HostStartError(`lock backend package ${packageName} could not be loaded (${errorText(error)}). Fix: pnpm add ${packageName}`);
  }
  return module[exportName] as Constructor;
}

/**
 * Builds the configured lock backend and proves it works (one lock taken and
 * released) before the host goes on: a host never starts with a backend it
 * cannot reach.
 */
export async function createLocking(config: HostConfig): Promise<LockingPlugin> {
  const { backend, redisUrl, databaseUrl, pgMode, keyPrefix } = config.locking;
  const secrets = secretsOf(config);
  const shown = (url: string | string[] | undefined): string => redactSecrets([url ?? '(no URL)'].flat().join(', '), secrets);
  let target = 'memory';
  let locking: (LockingPlugin & { setup?(): Promise<void> }) | undefined;
  try {
    if (backend === 'redis') {
      target = shown(redisUrl);
      // Settings may come from a caller rather than loadHostConfig: check them here too.
      checkServerUrls(redisUrl, 'config.locking.redisUrl', 'redis');
      const RedisLocking = await importBackend('@belfry/locking-redis', 'RedisLocking');
      locking = new RedisLocking({ url: redisUrl, keyPrefix });
    } else if (backend === 'pg') {
      target = shown(databaseUrl);
      checkServerUrls(databaseUrl, 'config.locking.databaseUrl', 'pg');
      const PgLocking = await importBackend('@belfry/locking-pg', 'PgLocking');
      locking = new PgLocking({ connectionString: databaseUrl, mode: pgMode, keyPrefix });
    } else {
      locking = new MemoryLocking();
    }
    await locking.setup?.();
    const probe = await locking.tryLock(`host-probe:${config.nodeId}:${process.pid}`, 5_000);
    if (probe !== null) await locking.release(probe);
  } catch (error) {
    await locking?.cleanup?.().catch(() => {});
    if (error instanceof HostStartError || error instanceof HostConfigError) throw error;
    const reason = redactSecrets(errorText(error), secrets);
    // The backends name the fix for what failed (credentials, database, server); add one only when they did not.
    const fix = /\bFix:/.test(reason) ? '' : '. Fix: start the server or correct the URL';
    throw new HostStartError(`lock backend "${backend}" at ${target} is not usable: ${reason}${fix}`, { cause: error });
  }
  return locking;
}
