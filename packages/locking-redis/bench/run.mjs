// Acquire + release of a lock, @belfry/locking-redis against the physical
// floor (the same commands sent raw on ioredis) and against the locks a user
// would pick instead (redis-semaphore, redlock), side by side on the same
// servers in one process: one Redis (REDIS_URL) and a quorum of three
// redis-servers started here on free ports and stopped after.
// Contenders are interleaved within every round, in rotating order, and each
// figure is a ratio taken per round: the median round, with min–max over rounds.
// BENCH_SMOKE=1 runs a few short rounds only, to check it still works.
import { randomBytes, randomUUID } from 'node:crypto';
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
const ROUNDS = smoke ? 2 : 15;
const SEQUENTIAL_OPS = smoke ? 100 : 1000;
const CONCURRENT_OPS = smoke ? 256 : 4000;
const WORKERS = 64;
const TTL_MS = 10_000;
/** Distinct keys a caller cycles through, as a scheduler cycles through its schedules. */
const KEYS_PER_CALLER = 100;
const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = resolve(here, `../../../bench/results/locking-redis${smoke ? '.smoke' : ''}.json`);
const prefix = `belfry-bench:${randomUUID()}:`;

/** Compare-and-delete, as every Redis lock releases. */
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The floor: `SET NX PX` then compare-and-delete by EVALSHA, on every server in parallel, nothing else. */
function rawFloor(clients, name) {
  let sha;
  return {
    name,
    async setup() {
      sha = await clients[0].script('LOAD', RELEASE_LUA);
      await Promise.all(clients.slice(1).map((client) => client.script('LOAD', RELEASE_LUA)));
    },
    async lockUnlock(key) {
      const redisKey = `${prefix}raw:${key}`;
      const token = randomBytes(16).toString('hex');
      const granted = await Promise.all(clients.map((client) => client.set(redisKey, token, 'PX', TTL_MS, 'NX')));
      if (granted.filter((reply) => reply === 'OK').length * 2 <= clients.length) throw new Error(`raw: ${key} contended`);
      await Promise.all(clients.map((client) => client.evalsha(sha, 1, redisKey, token)));
    },
  };
}

function belfry(locking) {
  return {
    name: '@belfry/locking-redis',
    async lockUnlock(key) {
      const handle = await locking.tryLock(key, TTL_MS);
      if (handle === null) throw new Error(`belfry: ${key} contended`);
      await locking.release(handle);
    },
  };
}

function redlock(clients) {
  const lock = new Redlock(clients, { retryCount: 0, driftFactor: 0.01 });
  return {
    name: 'redlock',
    async lockUnlock(key) {
      const held = await lock.acquire([`${prefix}redlock:${key}`], TTL_MS);
      await held.release();
    },
  };
}

function semaphore(clients) {
  const options = { lockTimeout: TTL_MS, acquireAttemptsLimit: 1, refreshInterval: 0 };
  return {
    name: clients.length === 1 ? 'redis-semaphore Mutex' : 'redis-semaphore RedlockMutex',
    async lockUnlock(key) {
      const id = `${prefix}semaphore:${key}`;
      const mutex = clients.length === 1 ? new Mutex(clients[0], id, options) : new RedlockMutex(clients, id, options);
      if (!(await mutex.tryAcquire())) throw new Error(`redis-semaphore: ${key} contended`);
      await mutex.release();
    },
  };
}

/** One lock at a time; returns the median latency in ms. */
async function sequentialP50(contender) {
  const samples = new Float64Array(SEQUENTIAL_OPS);
  for (let i = 0; i < SEQUENTIAL_OPS; i += 1) {
    const t0 = performance.now();
    await contender.lockUnlock(`seq:${i % KEYS_PER_CALLER}`);
    samples[i] = performance.now() - t0;
  }
  return samples.sort()[SEQUENTIAL_OPS >> 1];
}

/** WORKERS callers, each on its own keys, as many schedules locking at once; returns ops/s. */
async function concurrentRate(contender) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, caller) => {
      for (let mine = 0; next < CONCURRENT_OPS; mine += 1) {
        next += 1;
        await contender.lockUnlock(`par:${caller}:${mine % KEYS_PER_CALLER}`);
      }
    }),
  );
  return (CONCURRENT_OPS / (performance.now() - started)) * 1000;
}

/** Runs `measure` on every contender once per round, in rotating order; returns each one's value per round. */
async function interleaved(list, measure) {
  for (const contender of list) await measure(contender); // warm-up: connections, script caches, the JIT
  const values = new Map(list.map((contender) => [contender.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    const turn = round % list.length;
    for (const contender of [...list.slice(turn), ...list.slice(0, turn)]) values.get(contender.name).push(await measure(contender));
  }
  return values;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const round2 = (value) => Number(value.toFixed(2));

/** Ours ÷ theirs per round (against the best of `against` in that round): median and min–max. */
function ratio(values, against, better) {
  const ours = values.get('@belfry/locking-redis');
  const perRound = ours.map((value, round) => value / better(...against.map((name) => values.get(name)[round])));
  return { median: round2(median(perRound)), min: round2(Math.min(...perRound)), max: round2(Math.max(...perRound)) };
}

function summary(values, unit) {
  return Object.fromEntries([...values].map(([name, list]) => [name, `${median(list).toFixed(unit === 'ms' ? 4 : 0)} ${unit}`]));
}

const quorumServers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
const quorumUrls = quorumServers.map((server) => server.url);
const single = [new Redis(REDIS_URL)];
const trio = quorumUrls.map((url) => new Redis(url));
const ours = new RedisLocking({ url: REDIS_URL, keyPrefix: `${prefix}belfry:` });
const oursQuorum = new RedisLocking({ url: quorumUrls, keyPrefix: `${prefix}belfry:` });
const figures = [];
const measured = {};
try {
  const floor = rawFloor(single, 'raw SET NX PX + EVALSHA');
  const floorQuorum = rawFloor(trio, 'raw SET NX PX + EVALSHA ×3');
  await floor.setup();
  await floorQuorum.setup();

  const singleLatency = await interleaved([belfry(ours), floor], sequentialP50);
  measured['single acquire+release p50'] = summary(singleLatency, 'ms');
  figures.push({ figure: 'single acquire+release p50 ÷ raw floor', goal: '≤ 1.10', ...ratio(singleLatency, [floor.name], Math.min) });

  const peers = [redlock(single), semaphore(single)];
  const throughput = await interleaved([belfry(ours), ...peers, floor], concurrentRate);
  measured[`single ×${WORKERS} workers`] = summary(throughput, 'ops/s');
  figures.push({ figure: `single ×${WORKERS} throughput ÷ best peer`, goal: '≥ 1.2', ...ratio(throughput, peers.map((peer) => peer.name), Math.max) });
  figures.push({ figure: `single ×${WORKERS} throughput ÷ raw floor`, goal: '(floor)', ...ratio(throughput, [floor.name], Math.max) });

  const quorumLatency = await interleaved([belfry(oursQuorum), floorQuorum, redlock(trio), semaphore(trio)], sequentialP50);
  measured['quorum of 3 acquire+release p50'] = summary(quorumLatency, 'ms');
  figures.push({ figure: 'quorum p50 ÷ raw floor ×3 in parallel', goal: '≤ 1.15', ...ratio(quorumLatency, [floorQuorum.name], Math.min) });
  figures.push({ figure: 'quorum p50 ÷ redlock', goal: '≤ 0.9', ...ratio(quorumLatency, ['redlock'], Math.min) });
  figures.push({ figure: 'quorum p50 ÷ redis-semaphore RedlockMutex', goal: '—', ...ratio(quorumLatency, ['redis-semaphore RedlockMutex'], Math.min) });
} finally {
  await Promise.all([ours.cleanup(), oursQuorum.cleanup()]);
  for (const client of [...single, ...trio]) client.disconnect();
  await purgePrefix([REDIS_URL], prefix);
  await Promise.all(quorumServers.map((server) => server.stop()));
}

console.log(
  `acquire + release, ${ROUNDS} rounds; p50 over ${SEQUENTIAL_OPS} sequential locks, throughput over ${CONCURRENT_OPS} locks by ${WORKERS} workers${smoke ? ' (smoke)' : ''}`,
);
console.table(measured);
console.log('ratios, ours ÷ theirs per round (latency: lower is better; throughput: higher is better):');
console.table(figures.map(({ figure, goal, median: mid, min, max }) => ({ figure, goal, median: mid, 'min–max': `${min}–${max}` })));

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(
  resultsFile,
  `${JSON.stringify({ package: '@belfry/locking-redis', benchmark: 'acquire + release', smoke, rounds: ROUNDS, sequentialOps: SEQUENTIAL_OPS, concurrentOps: CONCURRENT_OPS, workers: WORKERS, node: process.version, date: new Date().toISOString(), measured, figures }, null, 2)}\n`,
);
console.log(`written to ${resultsFile}`);
