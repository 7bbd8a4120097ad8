// Acquire + release of a lock on a recurring key, Belfry's RedisLocking against the locks a user
// would pick instead (redlock, redis-semaphore), on the same servers in one
// run: one Redis (REDIS_URL) and a quorum of three started here.
// BENCH_SMOKE=1 runs a few hundred operations only, to check it still works.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import Redlock from 'redlock';
import { Mutex, RedlockMutex } from 'redis-semaphore';
import { RedisLocking } from '../dist/index.js';
import { purgePrefix, startRedisServer } from '../scripts/redis-server.mjs';

const smoke = process.env.BENCH_SMOKE === '1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = smoke ? 1 : 21;
const OPS_PER_ROUND = smoke ? 200 : 500;
const CONCURRENCY = 32;
const TTL_MS = 10_000;
const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = resolve(here, `../../../bench/results/locking-redis${smoke ? '.smoke' : ''}.json`);
const prefix = `belfry-bench:${randomUUID()}:`;

/** One contender: `lockUnlock(key)` takes and frees a lock on `key`, and must succeed. */
function contenders(urls) {
  const clients = urls.map((url) => new Redis(url));
  const belfry = new RedisLocking(urls.length === 1 ? { url: urls[0], keyPrefix: `${prefix}belfry:` } : { url: urls, keyPrefix: `${prefix}belfry:` });
  const redlock = new Redlock(clients, { retryCount: 0, driftFactor: 0.01 });
  const list = [
    {
      name: '@belfry/locking-redis',
      async lockUnlock(key) {
        const handle = await belfry.tryLock(key, TTL_MS);
        if (handle === null) throw new Error(`belfry: ${key} contended`);
        await belfry.release(handle);
      },
    },
    {
      name: 'redlock',
      async lockUnlock(key) {
        const lock = await redlock.acquire([`${prefix}redlock:${key}`], TTL_MS);
        await lock.release();
      },
    },
    {
      name: urls.length === 1 ? 'redis-semaphore Mutex' : 'redis-semaphore RedlockMutex',
      async lockUnlock(key) {
        const options = { lockTimeout: TTL_MS, acquireAttemptsLimit: 1, refreshInterval: 0 };
        const mutex =
          urls.length === 1
            ? new Mutex(clients[0], `${prefix}semaphore:${key}`, options)
            : new RedlockMutex(clients, `${prefix}semaphore:${key}`, options);
        if (!(await mutex.tryAcquire())) throw new Error(`redis-semaphore: ${key} contended`);
        await mutex.release();
      },
    },
  ];
  return {
    list,
    async close() {
      await belfry.cleanup();
      for (const client of clients) client.disconnect();
    },
  };
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Distinct keys a caller cycles through, as a scheduler cycles through its schedules. */
const KEYS_PER_CALLER = 100;

/** Sequential: one lock at a time, each operation timed. */
async function sequential(contender, samples) {
  const started = performance.now();
  for (let i = 0; i < OPS_PER_ROUND; i += 1) {
    const t0 = performance.now();
    await contender.lockUnlock(`seq:${i % KEYS_PER_CALLER}`);
    samples.push(performance.now() - t0);
  }
  return performance.now() - started;
}

/** Concurrent: CONCURRENCY callers, each on its own keys, as many nodes locking different jobs. */
async function concurrent(contender) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, caller) => {
      for (let mine = 0; next < OPS_PER_ROUND; mine += 1) {
        next += 1;
        await contender.lockUnlock(`par:${caller}:${mine % KEYS_PER_CALLER}`);
      }
    }),
  );
  return performance.now() - started;
}

async function measure(setup, urls) {
  const { list, close } = contenders(urls);
  const stats = new Map(list.map((c) => [c.name, { samples: [], seqRates: [], parRates: [] }]));
  // Warm up connections, script caches and the JIT, so round one is not penalised.
  for (const contender of list) {
    await sequential(contender, []);
    await concurrent(contender);
  }
  // Short rounds interleave the contenders, in a rotating order, so bursts
  // of load from elsewhere on the machine hit all of them alike.
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const contender of [...list.slice(round % list.length), ...list.slice(0, round % list.length)]) {
      const stat = stats.get(contender.name);
      stat.seqRates.push((OPS_PER_ROUND / (await sequential(contender, stat.samples))) * 1000);
      stat.parRates.push((OPS_PER_ROUND / (await concurrent(contender))) * 1000);
    }
  }
  await close();
  // Throughput is the median over rounds: a burst of load from elsewhere on
  // the machine spoils one round, not the figure.
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return list.map(({ name }) => {
    const { samples, seqRates, parRates } = stats.get(name);
    samples.sort((a, b) => a - b);
    return {
      setup,
      name,
      sequentialOpsPerSec: Math.round(median(seqRates)),
      p50Ms: Number(percentile(samples, 0.5).toFixed(4)),
      p99Ms: Number(percentile(samples, 0.99).toFixed(4)),
      concurrentOpsPerSec: Math.round(median(parRates)),
    };
  });
}

const quorum = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
let results;
try {
  results = [
    ...(await measure('single Redis', [REDIS_URL])),
    ...(await measure('quorum of 3', quorum.map((server) => server.url))),
  ];
} finally {
  await purgePrefix([REDIS_URL], prefix);
  await Promise.all(quorum.map((server) => server.stop()));
}

const ratios = results
  .filter((row) => row.name !== '@belfry/locking-redis')
  .map((row) => {
    const ours = results.find((other) => other.setup === row.setup && other.name === '@belfry/locking-redis');
    return {
      setup: row.setup,
      against: row.name,
      sequentialThroughputRatio: Number((ours.sequentialOpsPerSec / row.sequentialOpsPerSec).toFixed(2)),
      concurrentThroughputRatio: Number((ours.concurrentOpsPerSec / row.concurrentOpsPerSec).toFixed(2)),
      p50LatencyRatio: Number((ours.p50Ms / row.p50Ms).toFixed(2)),
    };
  });

console.log(`acquire + release, ${ROUNDS} × ${OPS_PER_ROUND} operations per contender${smoke ? ' (smoke)' : ''}`);
console.table(results.map(({ setup, name, sequentialOpsPerSec, p50Ms, p99Ms, concurrentOpsPerSec }) => ({ setup, name, 'seq ops/s': sequentialOpsPerSec, 'p50 ms': p50Ms, 'p99 ms': p99Ms, [`×${CONCURRENCY} ops/s`]: concurrentOpsPerSec })));
console.log('ratios (>1: @belfry/locking-redis is faster; latency <1: lower):');
console.table(ratios);

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(
  resultsFile,
  `${JSON.stringify({ package: '@belfry/locking-redis', benchmark: 'acquire + release', smoke, rounds: ROUNDS, opsPerRound: OPS_PER_ROUND, concurrency: CONCURRENCY, node: process.version, date: new Date().toISOString(), results, ratios }, null, 2)}\n`,
);
console.log(`written to ${resultsFile}`);
