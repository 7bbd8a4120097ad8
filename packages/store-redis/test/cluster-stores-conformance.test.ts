import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { RunHistoryOptions } from '@belfry/plugin-api';
import { controlSuite, historySuite, presenceSuite } from '@belfry/conformance';
// The cluster helper lives with locking-redis's tests, which start the same kind of cluster.
import { startRedisCluster, type RedisCluster } from '../../locking-redis/test/support/redis-cluster.js';
import { RedisControl, RedisPresence, RedisRunHistory } from '../src/index.js';
import type { RedisStoreOptions } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { adminClient, purgePrefix, REDIS_URL, uniquePrefix } from './support/redis.js';

/** What the time rules wait in real time against a server: long beside a round trip on a busy machine, short enough to keep the suites quick. */
const SHORT_MS = 200;
/** The re-read backstop of the control stores under test; push notifications normally arrive far sooner. */
const WATCH_INTERVAL_MS = 500;
/** A backstop so long that only a pub/sub notification can explain a delivery within GUARD_MS. */
const NO_BACKSTOP_MS = 60_000;
/** Hang guard for a state that push delivery reaches in a few ms: far above that on a busy machine. */
const GUARD_MS = 5000;

type Closable = { close(): Promise<void> };

const admin = adminClient();
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) await purgePrefix(admin, prefix);
  admin.disconnect();
});

/** The server's clock, which retention and TTLs run on. */
async function serverNow(): Promise<number> {
  const [seconds, micros] = await admin.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** A factory whose every `create` gets a fresh key prefix, and whose peers share it. */
function factory<Store extends Closable, Options>(connect: () => RedisStoreOptions, make: (options: RedisStoreOptions, extra: Options) => Store, clock: boolean) {
  const made = new WeakMap<object, { keyPrefix: string; extra: Options }>();
  const open = (keyPrefix: string, extra: Options): Store => {
    const store = make({ ...connect(), keyPrefix }, extra);
    made.set(store, { keyPrefix, extra });
    return store;
  };
  return {
    create(extra: Options): Store {
      const keyPrefix = uniquePrefix();
      prefixes.push(keyPrefix);
      return open(keyPrefix, extra);
    },
    peer(store: Store): Store {
      const { keyPrefix, extra } = made.get(store)!;
      return open(keyPrefix, extra);
    },
    ...(clock ? { now: () => serverNow() } : {}),
    destroy: (store: Store) => store.close(),
  };
}

function suites(label: string, connect: () => RedisStoreOptions, clock: boolean): void {
  historySuite(
    { test, describe },
    {
      name: `RedisRunHistory${label}`,
      shortMs: SHORT_MS,
      factory: factory<RedisRunHistory, Required<RunHistoryOptions>>(connect, (options, retention) => new RedisRunHistory({ ...options, ...retention }), clock),
    },
  );
  presenceSuite(
    { test, describe },
    {
      name: `RedisPresence${label}`,
      shortMs: SHORT_MS,
      factory: factory<RedisPresence, undefined>(connect, (options) => new RedisPresence(options), clock),
    },
  );
  controlSuite(
    { test, describe },
    {
      name: `RedisControl${label}`,
      shortMs: SHORT_MS,
      factory: factory<RedisControl, undefined>(connect, (options) => new RedisControl({ ...options, watchIntervalMs: WATCH_INTERVAL_MS }), clock),
    },
  );
}

suites('', () => ({ url: REDIS_URL }), true);

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
  // The cluster's servers run on this host, so its clock is theirs.
  suites(' on a Cluster client', () => ({ client }), false);

  test('a pause reaches a watcher on a Cluster client by pub/sub, long before the backstop would re-read', async () => {
    const keyPrefix = uniquePrefix();
    const control = new RedisControl({ client, keyPrefix, watchIntervalMs: NO_BACKSTOP_MS });
    const other = new RedisControl({ client, keyPrefix });
    const sizes: number[] = [];
    const stop = control.watch((paused) => sizes.push(paused.length));
    try {
      await eventually(() => sizes.length === 1, GUARD_MS, 'a new watcher was never called');
      // With the backstop out of play, only the subscription (its first re-read, then each notification) calls the
      // watcher again; PUBSUB NUMSUB would only count the subscribers of whichever node it reached.
      let pauses = 0;
      await eventually(
        async () => {
          await other.pause({ kind: 'poller_job', jobId: `before-${(pauses += 1)}` });
          return sizes.length > 1;
        },
        GUARD_MS,
        'the watcher never subscribed',
      );
      await other.pause({ kind: 'poller_job', jobId: 'calendar' });
      await eventually(() => sizes.at(-1) === pauses + 1, GUARD_MS, `the pause never reached the watcher: ${JSON.stringify(sizes)}`);
    } finally {
      stop();
      await Promise.all([control.close(), other.close()]);
    }
  });
});
