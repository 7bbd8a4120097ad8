import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { snapshotStoreSuite, type SnapshotStoreLike } from '@belfry/conformance';
// The cluster helper lives with locking-redis's tests, which start the same kind of cluster.
import { startRedisCluster, type RedisCluster } from '../../locking-redis/test/support/redis-cluster.js';
import { RedisSnapshotStore, type RedisSnapshotStoreOptions } from '../src/index.js';
import { adminClient, purgePrefix, REDIS_URL, uniquePrefix } from './support/redis.js';

const admin = adminClient();
const prefixes: string[] = [];
const opened: RedisSnapshotStore[] = [];
const optionsOf = new WeakMap<object, RedisSnapshotStoreOptions>();

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const prefix of prefixes) await purgePrefix(admin, prefix);
  admin.disconnect();
});

function open(options: RedisSnapshotStoreOptions): RedisSnapshotStore {
  const store = new RedisSnapshotStore(options);
  optionsOf.set(store, options);
  opened.push(store);
  return store;
}

function target(name: string, options: () => Omit<RedisSnapshotStoreOptions, 'keyPrefix'>) {
  return {
    name,
    capabilities: { persistent: true, fenced: true },
    factory: {
      create(): SnapshotStoreLike {
        const keyPrefix = uniquePrefix();
        prefixes.push(keyPrefix);
        // Rules write 5 MB payloads; a busy machine may take more than the default second.
        return open({ ...options(), keyPrefix, timeoutMs: 10_000 });
      },
      reopen: (store: SnapshotStoreLike) => open(optionsOf.get(store)!),
      destroy: (store: SnapshotStoreLike) => (store as RedisSnapshotStore).close(),
    },
  };
}

snapshotStoreSuite({ test, describe }, target('RedisSnapshotStore', () => ({ url: REDIS_URL })));

describe('on a Redis Cluster of three masters', () => {
  let cluster: RedisCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster(cluster.nodes, { enableOfflineQueue: false, redisOptions: { connectTimeout: 1000, maxRetriesPerRequest: 0 } });
    client.on('error', () => undefined);
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });
  snapshotStoreSuite({ test, describe }, target('RedisSnapshotStore on a Cluster client', () => ({ client })));
});
