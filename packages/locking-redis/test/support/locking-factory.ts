import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LockingPlugin } from '@belfry/plugin-api';
import type { LockingFactory } from '@belfry/conformance';
import { RedisLocking, type RedisLockingOptions } from '../../src/index.js';
import { purgePrefix } from './purge-prefix.js';

type Connection = Pick<RedisLockingOptions, 'url' | 'client' | 'clients'>;

/**
 * A conformance factory over RedisLocking: each create() gets a fresh key
 * prefix, a peer shares its prefix through its own connections, and the
 * unreachable instance points at ports where nothing listens. Destroying
 * the instance create() made deletes its keys from every server.
 */
export function redisLockingFactory(options: {
  connection: () => Connection;
  /** Plain URLs of the servers, used to delete a case's keys afterwards. */
  serverUrls: () => string[];
  unreachable: () => Connection;
  /** Closes borrowed clients a connection() call made. */
  release?: (connection: Connection) => Promise<void> | void;
}): LockingFactory {
  const made = new WeakMap<LockingPlugin, { prefix: string; connection: Connection; primary: boolean }>();
  const make = (prefix: string, connection: Connection, primary: boolean): RedisLocking => {
    const locking = new RedisLocking({ ...connection, keyPrefix: prefix });
    made.set(locking, { prefix, connection, primary });
    return locking;
  };
  return {
    create: () => make(`belfry-test:${randomUUID()}:`, options.connection(), true),
    createPeer: (locking) => make(made.get(locking)!.prefix, options.connection(), false),
    createUnreachable: () => make(`belfry-test:${randomUUID()}:`, options.unreachable(), false),
    async destroy(locking) {
      await locking.cleanup?.();
      const record = made.get(locking);
      if (record === undefined) return;
      await options.release?.(record.connection);
      if (!record.primary) return;
      await Promise.all(
        options.serverUrls().map(async (url) => {
          const admin = new Redis(url);
          try {
            await purgePrefix(admin, record.prefix);
          } finally {
            admin.disconnect();
          }
        }),
      );
    },
  };
}
