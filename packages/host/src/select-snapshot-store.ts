import type { FencedSnapshotStore, LockingPlugin, Logger } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';
import { FileSnapshotStore } from '@belfry/stateful-registry';
import type { HostConfig } from './host-config.js';
import { HostConfigError, HostStartError } from './host-errors.js';
import { secretsOf } from './secrets-of.js';
import { importStorePackage, lockConnection } from './shared-connection.js';

/** Longest one shared-store call may take; snapshots of up to 16 MiB travel in one call. */
const SHARED_STORE_TIMEOUT_MS = 5_000;

const PURPOSE = 'a shared snapshot store (state_store = "shared", the default with redis or pg locks)';

/** Snapshots in files under the state dir: state belongs to this node's disk. */
export interface FileState {
  kind: 'file';
  store: FileSnapshotStore;
  where: string;
  close(): Promise<void>;
}

/** Snapshots in the lock backend's server, on the lock backend's own connection (Redis) or pool (PostgreSQL). */
export interface SharedState {
  kind: 'shared';
  store: FencedSnapshotStore;
  /** Put before every snapshot id: the key prefix where the store's own keys do not carry it (the PostgreSQL table). */
  idPrefix: string;
  where: string;
  /** Closes the store; the connection stays with the lock backend, which closes it after. */
  close(): Promise<void>;
}

/**
 * Picks where snapshots go from `[host] state_store`: `shared` puts them in
 * the Redis (`<key_prefix>{snapshots}:…`; a quorum's first server, as the
 * other cluster stores) or PostgreSQL (`belfry_snapshots` table) the lock
 * backend uses, on its connection; `file` in the state dir; `auto` is
 * `shared` with `redis` or `pg` locks, `file` otherwise. Asking for `shared`
 * with a backend that has no server is a configuration error. A shared store
 * is probed (one load), so an unusable one stops the start.
 */
export async function selectSnapshotStore(config: HostConfig, locking: LockingPlugin, logger: Logger): Promise<FileState | SharedState> {
  const setting = config.stateStore ?? 'auto';
  const { backend, redisUrl, databaseUrl, keyPrefix } = config.locking;
  const shareable = backend === 'redis' || backend === 'pg';
  if (setting === 'file' || (setting === 'auto' && !shareable)) {
    return { kind: 'file', store: new FileSnapshotStore({ dir: config.stateDir, logger }), where: config.stateDir, close: async () => {} };
  }
  if (!shareable) {
    throw new HostConfigError(
      `[host] state_store: "shared" state needs the redis or pg lock backend, but the "${backend}" lock backend has no server the host can keep it in. Fix: set state_store to "file" or "auto", or use redis or pg locks`,
    );
  }
  // The backend's connection when it exposes one; a URL (a connection of the store's own) otherwise.
  const { client, pool } = lockConnection(locking);
  let store: (FencedSnapshotStore & { setup?(): Promise<void>; close(): Promise<void> }) | undefined;
  try {
    if (backend === 'redis') {
      const { RedisSnapshotStore } = await importStorePackage<FencedSnapshotStore>('@belfry/store-redis', PURPOSE);
      const url = [redisUrl ?? []].flat()[0];
      store = new RedisSnapshotStore!({ ...(client === undefined ? { url } : { client }), keyPrefix, timeoutMs: SHARED_STORE_TIMEOUT_MS });
    } else {
      const { PgSnapshotStore } = await importStorePackage<FencedSnapshotStore>('@belfry/store-pg', PURPOSE);
      store = new PgSnapshotStore!({ ...(pool === undefined ? { connectionString: databaseUrl } : { pool }), timeoutMs: SHARED_STORE_TIMEOUT_MS });
      await store.setup?.();
    }
    await store.load('host-probe');
  } catch (error) {
    await store?.close().catch(() => {});
    if (error instanceof HostStartError) throw error;
    const reason = redactSecrets(errorText(error), secretsOf(config));
    throw new HostStartError(`shared snapshot store (${backend}) is not usable: ${reason}${/\bFix:/.test(reason) ? '' : '. Fix: start the server or correct the URL'}`, { cause: error });
  }
  const opened = store;
  return {
    kind: 'shared',
    store: opened,
    idPrefix: backend === 'pg' ? keyPrefix : '',
    where: backend === 'redis' ? `Redis keys ${keyPrefix}{snapshots}:*` : `PostgreSQL table belfry_snapshots, ids ${keyPrefix}*`,
    close: () => opened.close(),
  };
}
