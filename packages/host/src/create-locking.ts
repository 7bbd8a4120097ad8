import type { LockingPlugin, Logger } from '@belfry/plugin-api';
import { didYouMean, errorText, redactSecrets } from '@belfry/internal';
import { MemoryLocking } from '@belfry/locking-memory';
import type { HostConfig } from './host-config.js';
import { checkServerUrls } from './check-server-urls.js';
import { HostConfigError, HostStartError } from './host-errors.js';
import type { LoadedPlugin } from './loaded-plugin.js';
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

const BUILT_IN = ['memory', 'redis', 'pg'];

/**
 * Builds the configured lock backend — built in, or provided by one of
 * `plugins` through `[plugin.locking]` — and proves it works (one lock taken,
 * renewed and released on a scratch key) before the host goes on: a host
 * never starts with a backend it cannot use.
 */
export async function createLocking(config: HostConfig, plugins: readonly LoadedPlugin[] = [], logger?: Logger): Promise<LockingPlugin> {
  const { backend, backendFrom, redisUrl, databaseUrl, pgMode, keyPrefix, options } = config.locking;
  const secrets = secretsOf(config);
  const shown = (url: string | string[] | undefined): string => redactSecrets([url ?? '(no URL)'].flat().join(', '), secrets);
  const provider = plugins.find((plugin) => plugin.locking?.backend === backend);
  if (!BUILT_IN.includes(backend) && provider === undefined) {
    const names = [...BUILT_IN, ...plugins.flatMap((plugin) => (plugin.locking ? [plugin.locking.backend] : []))];
    const suggestion = didYouMean(backend, names);
    const hint = suggestion === undefined ? '' : `did you mean "${suggestion}"? `;
    throw new HostConfigError(
      `${backendFrom ?? '[locking] backend'}: unknown lock backend ${JSON.stringify(backend)}; ${hint}Fix: set it to one of ${names.join(', ')}, or add the plugin that provides it`,
    );
  }
  let target = provider === undefined ? 'memory' : `plugin "${provider.id}" (${provider.dir})`;
  let locking: (LockingPlugin & { setup?(): Promise<void> }) | undefined;
  try {
    if (provider?.locking !== undefined) {
      locking = await provider.locking.create(options ?? {});
      if (typeof locking?.tryLock !== 'function' || typeof locking.renew !== 'function' || typeof locking.release !== 'function') {
        throw new HostStartError(`lock backend "${backend}" from ${target}: createLocking() must return an object with tryLock, renew and release`);
      }
    } else if (backend === 'redis') {
      target = shown(redisUrl);
      // Settings may come from a caller rather than loadHostConfig: check them here too.
      checkServerUrls(redisUrl, 'config.locking.redisUrl', 'redis');
      const RedisLocking = await importBackend('@belfry/locking-redis', 'RedisLocking');
      locking = new RedisLocking({ url: redisUrl, keyPrefix, ...(logger === undefined ? {} : { logger }) });
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
    // Nobody else uses this scratch key: a backend that cannot take it is not working.
    if (probe === null) throw new Error('tryLock on a fresh scratch key returned null');
    await locking.renew(probe);
    await locking.release(probe);
    // A backend that inspects its servers (RedisLocking's persistence check) has its findings ready for status().
    await (locking as { checkPersistence?: () => Promise<unknown> }).checkPersistence?.();
  } catch (error) {
    await locking?.cleanup?.().catch(() => {});
    if (error instanceof HostStartError || error instanceof HostConfigError) throw error;
    const reason = redactSecrets(errorText(error), secrets);
    // The backends name the fix for what failed (credentials, database, server); add one only when they did not.
    const fix = /\bFix:/.test(reason) ? '' : provider === undefined ? '. Fix: start the server or correct the URL' : `. Fix: check [locking.options] and the plugin "${provider.id}"`;
    const from = provider === undefined ? `at ${target}` : `provided by ${target}`;
    throw new HostStartError(`lock backend "${backend}" ${from} is not usable: ${reason}${fix}`, { cause: error });
  }
  return locking;
}
