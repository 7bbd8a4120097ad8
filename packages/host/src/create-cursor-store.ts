import { join } from 'node:path';
import type { CursorStore, LockingPlugin } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';
import { FileCursorStore } from '@belfry/poller';
import type { HostConfig } from './host-config.js';
import { HostStartError } from './host-errors.js';
import { secretsOf } from './secrets-of.js';
import { importStorePackage, lockConnection } from './shared-connection.js';

/** The store poller cursors live in, and how to let go of it. */
export interface HostCursorStore {
  store: CursorStore;
  /** `file` (this node only), `redis` or `pg` (shared by the cluster). */
  kind: 'file' | 'redis' | 'pg';
  /** Where the cursors are, for the start-up line and status; no password. */
  location: string;
  close(): Promise<void>;
}

/**
 * Picks where poller cursors live. With a Redis or PostgreSQL lock backend
 * every node of the cluster must see the same cursor, so they go to that
 * server, on the lock backend's own connection (a Redis quorum's first
 * server); otherwise to files under the state folder. A shared store is
 * probed (one load) so an unusable server stops the start, like the lock
 * backend's probe.
 */
export async function createCursorStore(config: HostConfig, locking: LockingPlugin): Promise<HostCursorStore> {
  const { backend, redisUrl, databaseUrl, keyPrefix } = config.locking;
  if (backend !== 'redis' && backend !== 'pg') {
    const dir = join(config.stateDir, 'cursors');
    return { store: new FileCursorStore({ dir }), kind: 'file', location: dir, close: async () => {} };
  }
  const secrets = secretsOf(config);
  const url = backend === 'redis' ? [redisUrl ?? []].flat()[0] : databaseUrl;
  const location = redactSecrets(url ?? '(no URL)', secrets);
  // The backend's connection when it exposes one; a URL (a connection of the store's own) otherwise.
  const { client, pool } = lockConnection(locking);
  let store: (CursorStore & { setup?(): Promise<void>; close(): Promise<void> }) | undefined;
  try {
    if (backend === 'redis') {
      const { RedisCursorStore } = await importStorePackage<CursorStore>('@belfry/store-redis', 'a shared poller cursor store');
      store = new RedisCursorStore!({ ...(client === undefined ? { url } : { client }), keyPrefix });
    } else {
      const { PgCursorStore } = await importStorePackage<CursorStore>('@belfry/store-pg', 'a shared poller cursor store');
      store = new PgCursorStore!(pool === undefined ? { connectionString: url } : { pool });
      await store.setup?.();
    }
    await store.load('host-probe');
  } catch (error) {
    await store?.close().catch(() => {});
    if (error instanceof HostStartError) throw error;
    const reason = redactSecrets(errorText(error), secrets);
    throw new HostStartError(`poller cursor store (${backend}) at ${location} is not usable: ${reason}${/\bFix:/.test(reason) ? '' : '. Fix: start the server or correct the URL'}`, { cause: error });
  }
  const opened = store;
  return { store: opened, kind: backend === 'redis' ? 'redis' : 'pg', location, close: () => opened.close() };
}
