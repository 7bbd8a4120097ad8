import { afterAll, describe, test } from 'vitest';
import { cursorStoreSuite } from '../../poller/src/testing/cursor-store-rules.js';
import { RedisCursorStore } from '../src/index.js';
import { adminClient, purgePrefix, REDIS_URL, uniquePrefix } from './support/redis.js';

const admin = adminClient();
const prefixes: string[] = [];
const opened: RedisCursorStore[] = [];
const prefixOf = new WeakMap<object, string>();

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const prefix of prefixes) await purgePrefix(admin, prefix);
  admin.disconnect();
});

function open(keyPrefix: string): RedisCursorStore {
  const store = new RedisCursorStore({ url: REDIS_URL, keyPrefix });
  prefixOf.set(store, keyPrefix);
  opened.push(store);
  return store;
}

cursorStoreSuite(
  { test, describe },
  {
    name: 'RedisCursorStore',
    create() {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return open(prefix);
    },
    reopen: (store) => open(prefixOf.get(store)!),
    destroy: (store) => (store as RedisCursorStore).close(),
  },
);
