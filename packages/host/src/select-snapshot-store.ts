import type { FencedSnapshotStore, Logger } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';
import { FileSnapshotStore } from '@belfry/stateful-registry';
import { checkServerUrls } from './check-server-urls.js';
import type { HostConfig } from './host-config.js';
import { HostConfigError, HostStartError } from './host-errors.js';
import { secretsOf } from './secrets-of.js';

/** Longest one shared-store call may take; snapshots of up to 16 MiB travel in one call. */
const SHARED_STORE_TIMEOUT_MS = 5_000;

/** Snapshots in files under the state dir: state belongs to this node's disk. */
export interface FileState {
  kind: 'file';
  store: FileSnapshotStore;
  where: string;
}

/**
 * Snapshots in the lock backend's server, on one connection (Redis) or
 * pool (PostgreSQL) that the lock backend is given too; the host closes it
 * after the lock backend at shutdown.
 */
export interface SharedState {
  kind: 'shared';
  store: FencedSnapshotStore;
  /** What the lock backend is built with instead of its URL: `{ client }` or `{ pool }`. */
  lockingOptions: Record<string, unknown>;
  /** Put before every snapshot id: the key prefix where the store's own keys do not carry it (the PostgreSQL table). */
  idPrefix: string;
  where: string;
  close(): Promise<void>;
}

/**
 * Picks where snapshots go from `[host] state_store`: `shared` puts them in
 * the Redis (`<key_prefix>{snapshots}:…`) or PostgreSQL (`belfry_snapshots`
 * table) the lock backend uses; `file` in the state dir; `auto` is `shared`
 * for `redis` with one server and for `pg`, `file` otherwise. Asking for
 * `shared` where there is no single server to share is a configuration error.
 */
export async function selectSnapshotStore(config: HostConfig, logger: Logger): Promise<FileState | SharedState> {
  const setting = config.stateStore ?? 'auto';
  const { backend, redisUrl, databaseUrl } = config.locking;
  const redis = backend === 'redis' && (typeof redisUrl === 'string' || (Array.isArray(redisUrl) && redisUrl.length === 1));
  const shareable = redis || backend === 'pg';
  if (setting === 'file' || (setting === 'auto' && !shareable)) return fileState(config, logger);
  if (!shareable) {
    const why = backend === 'redis' ? 'a Redis quorum has no single server to keep it in' : `the "${backend}" lock backend has no server the host can keep it in`;
    throw new HostConfigError(`[host] state_store: "shared" state needs the redis (one server) or pg lock backend, but ${why}. Fix: set state_store to "file" or "auto", or use redis or pg locks`);
  }
  // Settings may come from a caller rather than loadHostConfig: check them here too, naming the setting.
  if (redis) checkServerUrls(redisUrl, 'config.locking.redisUrl', 'redis');
  else checkServerUrls(databaseUrl, 'config.locking.databaseUrl', 'pg');
  try {
    return redis ? await redisState([redisUrl].flat()[0] as string, config.locking.keyPrefix) : await pgState(databaseUrl as string, config.locking.keyPrefix);
  } catch (error) {
    if (error instanceof MissingStorePackage && setting === 'auto') {
      logger.warn(`belfry host: state stays in files under ${config.stateDir}, so a node that loses its disk loses it: ${error.message}`);
      return fileState(config, logger);
    }
    if (error instanceof HostStartError) throw error;
    throw new HostStartError(`shared state store for "${backend}" is not usable: ${redactSecrets(errorText(error), secretsOf(config))}. Fix: start the server or correct the URL`, { cause: error });
  }
}

async function redisState(url: string, keyPrefix: string): Promise<SharedState> {
  const { createRedisClient, RedisSnapshotStore } = (await importOptional('@belfry/store-redis')) as typeof import('@belfry/store-redis');
  // No offline queue and no resending on a new connection: what the lock backend needs as much as the store.
  const client = createRedisClient(url);
  client.on('error', () => undefined);
  const store = new RedisSnapshotStore({ client, keyPrefix, timeoutMs: SHARED_STORE_TIMEOUT_MS });
  return {
    kind: 'shared',
    store,
    lockingOptions: { client },
    idPrefix: '',
    where: `Redis keys ${keyPrefix}{snapshots}:*`,
    async close() {
      await store.close();
      client.disconnect();
    },
  };
}

async function pgState(connectionString: string, keyPrefix: string): Promise<SharedState> {
  const { createPgPool, PgSnapshotStore } = (await importOptional('@belfry/store-pg')) as typeof import('@belfry/store-pg');
  const pool = createPgPool(connectionString, { timeoutMs: 1_500, applicationName: 'belfry-host' });
  const store = new PgSnapshotStore({ pool, timeoutMs: SHARED_STORE_TIMEOUT_MS });
  try {
    await store.setup();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    kind: 'shared',
    store,
    lockingOptions: { pool },
    idPrefix: keyPrefix,
    where: `PostgreSQL table belfry_snapshots, ids ${keyPrefix}*`,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/** A store package that is not installed: `auto` falls back to files, `shared` stops the host. */
class MissingStorePackage extends HostStartError {}

/** Imports an optional peer package, saying how to install it when it is missing. */
async function importOptional(name: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (error) {
    throw new MissingStorePackage(`package ${name} could not be loaded (${errorText(error)}); a shared state store needs it. Fix: pnpm add ${name}, or set [host] state_store = "file"`);
  }
}

function fileState(config: HostConfig, logger: Logger): FileState {
  return { kind: 'file', store: new FileSnapshotStore({ dir: config.stateDir, logger }), where: config.stateDir };
}
