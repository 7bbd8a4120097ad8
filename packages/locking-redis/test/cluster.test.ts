import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lockingSuite } from '@belfry/conformance';
import { RedisLocking } from '../src/index.js';
import { lockKeys } from '../src/lock-keys.js';
import { redisLockingFactory } from './support/locking-factory.js';
import { startRedisCluster, type RedisCluster } from './support/redis-cluster.js';
import { freePort } from './support/redis-server.js';

let cluster: RedisCluster;
const deadPort = await freePort();

/** Cluster clients as this backend wants them: no offline queue, bounded connects. */
function clusterClient(nodes: Array<{ host: string; port: number }>): Cluster {
  const client = new Cluster(nodes, {
    enableOfflineQueue: false,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    redisOptions: { connectTimeout: 1000, maxRetriesPerRequest: 0 },
  });
  client.on('error', () => undefined);
  return client;
}

describe('Redis Cluster of three masters', () => {
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('a lock key and its fence key land in one slot, for keys full of braces too', async () => {
    const client = clusterClient(cluster.nodes);
    try {
      const locking = new RedisLocking({ client, keyPrefix: `c:${randomUUID()}:` });
      for (const key of ['job', '{job}', '}{', 'a{b}c{d}', '{'.repeat(50)]) {
        const handle = await locking.tryLock(key, 5000);
        expect(handle).not.toBeNull();
        const keys = lockKeys('c:', key);
        const [lockSlot, fenceSlot] = await Promise.all([
          client.cluster('KEYSLOT', keys.lock),
          client.cluster('KEYSLOT', keys.fence),
        ]);
        expect(lockSlot).toBe(fenceSlot);
        await locking.renew(handle!);
        await locking.release(handle!);
      }
      await locking.cleanup();
    } finally {
      client.disconnect();
    }
  });

  const clients = new WeakMap<object, Cluster>();
  lockingSuite(
    { test, describe },
    {
      name: 'redis (cluster of 3 masters)',
      factory: redisLockingFactory({
        connection: () => {
          const client = clusterClient(cluster.nodes);
          const connection = { client };
          clients.set(connection, client);
          return connection;
        },
        serverUrls: () => cluster.nodes.map((node) => `redis://${node.host}:${node.port}`),
        unreachable: () => {
          const client = clusterClient([{ host: '127.0.0.1', port: deadPort }]);
          const connection = { client };
          clients.set(connection, client);
          return connection;
        },
        release: (connection) => clients.get(connection)?.disconnect(),
      }),
    },
  );
});
