import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { CursorStore } from '@belfry/plugin-api';
// The cluster helper lives with locking-redis's tests, which start the same kind of cluster.
import { cursorStoreSuite } from '@belfry/conformance';
import { startRedisCluster, type RedisCluster } from '../../locking-redis/test/support/redis-cluster.js';
import { RedisCursorStore, type RedisCursorStoreOptions } from '../src/index.js';
import { adminClient, purgePrefix, REDIS_URL, uniquePrefix } from './support/redis.js';

const admin = adminClient();
const prefixes: string[] = [];
const opened: RedisCursorStore[] = [];
const optionsOf = new WeakMap<object, RedisCursorStoreOptions>();

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const prefix of prefixes) await purgePrefix(admin, prefix);
  admin.disconnect();
});

function open(options: RedisCursorStoreOptions): RedisCursorStore {
  const store = new RedisCursorStore(options);
  optionsOf.set(store, options);
  opened.push(store);
  return store;
}

function target(name: string, options: () => Omit<RedisCursorStoreOptions, 'keyPrefix'>) {
  return {
    name,
    capabilities: { persistent: true },
    factory: {
      create(): CursorStore {
        const keyPrefix = uniquePrefix();
        prefixes.push(keyPrefix);
        return open({ ...options(), keyPrefix });
      },
      reopen: (store: CursorStore) => open(optionsOf.get(store)!),
      destroy: (store: CursorStore) => (store as RedisCursorStore).close(),
    },
  };
}

cursorStoreSuite({ test, describe }, target('RedisCursorStore', () => ({ url: REDIS_URL })));

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
  cursorStoreSuite({ test, describe }, target('RedisCursorStore on a Cluster client', () => ({ client })));
});
