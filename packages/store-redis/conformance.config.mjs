// Targets for `belfry-conformance` (run by `pnpm conformance` at the repo root).
// Not shipped: it imports the built package and needs the Redis at REDIS_URL.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCursorStore, RedisSnapshotStore } from './dist/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key a store wrote under its prefix. */
async function purge(prefix) {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await admin.del(...keys);
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
  }
}

/** A factory making each store on a fresh key prefix, reopening it on the same one. */
function factory(Store, options = {}) {
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
      await purge(prefixOf.get(store));
    },
  };
}

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default [
  // Rules write 5 MB payloads: a busy machine may need more than the default second per call.
  { name: 'RedisSnapshotStore', snapshotStore: { factory: factory(RedisSnapshotStore, { timeoutMs: 10_000 }), capabilities: { persistent: true, fenced: true } } },
  { name: 'RedisCursorStore', cursorStore: { factory: factory(RedisCursorStore), capabilities: { persistent: true } } },
];
