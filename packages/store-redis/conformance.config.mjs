// Targets for `belfry-conformance` (run by `pnpm conformance` at the repo root).
// Not shipped: it imports the built package and uses the Redis at REDIS_URL.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisControl, RedisCursorStore, RedisPresence, RedisRunHistory, RedisSnapshotStore } from './dist/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** What the time rules wait in real time against a server. */
const SHORT_MS = 200;

/** Deletes every key under `prefix`. */
async function purgePrefix(prefix) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A factory giving each rule a fresh key prefix, shared by its peers, purged when the first instance goes. */
function factory(make) {
  const made = new WeakMap();
  const open = (keyPrefix, options, primary) => {
    const store = make({ url: REDIS_URL, keyPrefix }, options);
    made.set(store, { keyPrefix, options, primary });
    return store;
  };
  return {
    create: (options) => open(`belfry-conformance:${randomUUID()}:`, options, true),
    peer: (store) => open(made.get(store).keyPrefix, made.get(store).options, false),
    async destroy(store) {
      await store.close();
      const { keyPrefix, primary } = made.get(store);
      if (primary) await purgePrefix(keyPrefix);
    },
  };
}

/** A factory making a snapshot or cursor store on a fresh key prefix, reopening it on the same one. */
function storeFactory(Store, options = {}) {
  const prefixOf = new WeakMap();
  const open = (keyPrefix) => {
    const store = new Store({ url: REDIS_URL, keyPrefix, ...options });
    prefixOf.set(store, keyPrefix);
    return store;
  };
  return {
    create: () => open(`belfry-conformance:${randomUUID()}:`),
    reopen: (store) => open(prefixOf.get(store)),
    async destroy(store) {
      await store.close();
      await purgePrefix(prefixOf.get(store));
    },
  };
}

export default [
  {
    name: 'redis (single)',
    runHistory: { shortMs: SHORT_MS, factory: factory((connection, retention) => new RedisRunHistory({ ...connection, ...retention })) },
    presence: { shortMs: SHORT_MS, factory: factory((connection) => new RedisPresence(connection)) },
    control: { shortMs: SHORT_MS, factory: factory((connection) => new RedisControl({ ...connection, watchIntervalMs: 500 })) },
  },
  // Rules write 5 MB payloads: a busy machine may need more than the default second per call.
  { name: 'RedisSnapshotStore', snapshotStore: { factory: storeFactory(RedisSnapshotStore, { timeoutMs: 10_000 }), capabilities: { persistent: true, fenced: true } } },
  { name: 'RedisCursorStore', cursorStore: { factory: storeFactory(RedisCursorStore), capabilities: { persistent: true } } },
];
