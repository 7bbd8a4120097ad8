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
const ROUNDS = smoke ? 2 : 9;
/** Throughput rounds are short and many: one burst of load elsewhere on the machine spoils one of them, not the figure. */
const THROUGHPUT_ROUNDS = smoke ? 2 : 25;
const SEQUENTIAL_OPS = smoke ? 100 : 2000;
const SEQUENTIAL_BLOCK = 50;
const CONCURRENT_OPS = smoke ? 256 : 1500;
const WORKERS = 64;
const TTL_MS = 10_000;
/** Distinct keys a caller cycles through, as a scheduler cycles through its schedules. */
const KEYS_PER_CALLER = 100;
const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = resolve(here, `../../../bench/results/locking-redis${smoke ? '.smoke' : ''}.json`);
const prefix = `belfry-bench:${randomUUID()}:`;

/** Takes the lock and mints its fence, as @belfry/locking-redis does (less the seeding of a fresh counter). */
const ACQUIRE_LUA = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local fence = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return fence
end
return false`;

/** Compare-and-delete, as every Redis lock releases. */
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Resolves once `count` of `promises` resolved to a value `accepted` takes, or rejects once that cannot happen. */
function firstOf(promises, count, accepted) {
  return new Promise((resolve, reject) => {
    let yes = 0;
    let no = 0;
    for (const promise of promises) {
      promise.then(
        (value) => (accepted(value) ? ++yes === count && resolve() : ++no > promises.length - count && reject(new Error('no majority'))),
        () => ++no > promises.length - count && reject(new Error('no majority')),
      );
    }
  });
}

/**
 * The floor: `SET NX PX` then compare-and-delete by EVALSHA, on every
 * server in parallel, and nothing else. `untilMajority` moves on as soon as
 * a majority answered (as a quorum lock may); otherwise every reply is awaited.
 */
function rawFloor(clients, name, untilMajority = false) {
  let sha;
  const majority = Math.floor(clients.length / 2) + 1;
  const needed = untilMajority ? majority : clients.length;
  return {
    name,
    async setup() {
      sha = await clients[0].script('LOAD', RELEASE_LUA);
      await Promise.all(clients.slice(1).map((client) => client.script('LOAD', RELEASE_LUA)));
    },
    async lockUnlock(key) {
      const redisKey = `${prefix}raw:${key}`;
      const token = randomBytes(16).toString('hex');
      if (clients.length === 1) {
        if ((await clients[0].set(redisKey, token, 'PX', TTL_MS, 'NX')) !== 'OK') throw new Error(`raw: ${key} contended`);
        await clients[0].evalsha(sha, 1, redisKey, token);
        return;
      }
      await firstOf(clients.map((client) => client.set(redisKey, token, 'PX', TTL_MS, 'NX')), needed, (reply) => reply === 'OK');
      await firstOf(clients.map((client) => client.evalsha(sha, 1, redisKey, token)), needed, () => true);
    },
  };
}

/**
 * The floor for a fenced lock: the same acquire script as ours (SET NX PX
 * and INCR of the fence counter, one atomic step) and compare-and-delete,
 * both by EVALSHA on a plain ioredis client, nothing else.
 */
function scriptedFloor(client) {
  let acquireSha;
  let releaseSha;
  return {
    name: 'raw EVALSHA acquire script + EVALSHA',
    async setup() {
      acquireSha = await client.script('LOAD', ACQUIRE_LUA);
      releaseSha = await client.script('LOAD', RELEASE_LUA);
    },
    async lockUnlock(key) {
      const tag = `${prefix}scripted:{${key}}`;
      const token = randomBytes(16).toString('hex');
      if ((await client.evalsha(acquireSha, 2, `${tag}:lock`, `${tag}:fence`, token, TTL_MS, 86_400_000)) === null) throw new Error(`scripted: ${key} contended`);
      await client.evalsha(releaseSha, 1, `${tag}:lock`, token);
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

/** Locks taken one at a time in a row, each timed into `samples`. */
async function sequential(contender, samples, from, count) {
  for (let i = from; i < from + count; i += 1) {
    const t0 = performance.now();
    await contender.lockUnlock(`seq:${i % KEYS_PER_CALLER}`);
    samples.push(performance.now() - t0);
  }
}

/**
 * Median latency per round of every contender: within a round the
 * contenders take turns every SEQUENTIAL_BLOCK locks, so a burst of load
 * from elsewhere on the machine hits them alike.
 */
async function interleavedP50(list) {
  for (const contender of list) await sequential(contender, [], 0, SEQUENTIAL_OPS); // warm-up: connections, script caches, the JIT
  const values = new Map(list.map((contender) => [contender.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    const samples = new Map(list.map((contender) => [contender.name, []]));
    for (let from = 0; from < SEQUENTIAL_OPS; from += SEQUENTIAL_BLOCK) {
      const turn = (round + from / SEQUENTIAL_BLOCK) % list.length;
      for (const contender of [...list.slice(turn), ...list.slice(0, turn)]) await sequential(contender, samples.get(contender.name), from, SEQUENTIAL_BLOCK);
    }
    for (const [name, list] of samples) values.get(name).push(median(list));
  }
  return values;
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
async function interleavedRuns(list, measure) {
  for (const contender of list) await measure(contender); // warm-up: connections, script caches, the JIT
  const values = new Map(list.map((contender) => [contender.name, []]));
  for (let round = 0; round < THROUGHPUT_ROUNDS; round += 1) {
    const turn = round % list.length;
    for (const contender of [...list.slice(turn), ...list.slice(0, turn)]) values.get(contender.name).push(await measure(contender));
  }
  return values;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const round2 = (value) => Number(value.toFixed(2));

/**
 * Ours ÷ theirs per round: median and min–max over rounds. Against several,
 * theirs is the best of them over all rounds (`better` of their medians),
 * not the best in each round, which would favour whichever was luckiest.
 */
function ratio(values, against, better) {
  const ours = values.get('@belfry/locking-redis');
  const best = better(...against.map((name) => median(values.get(name))));
  const theirs = values.get(against.find((name) => median(values.get(name)) === best));
  const perRound = ours.map((value, round) => value / theirs[round]);
  return { against: against.length > 1 ? against.find((name) => median(values.get(name)) === best) : undefined, median: round2(median(perRound)), min: round2(Math.min(...perRound)), max: round2(Math.max(...perRound)) };
}

function summary(values, unit) {
  return Object.fromEntries([...values].map(([name, list]) => [name, `${median(list).toFixed(unit === 'ms' ? 4 : 0)} ${unit}`]));
}

const quorumServers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
const quorumUrls = quorumServers.map((server) => server.url);
const single = [new Redis(REDIS_URL)];
const trio = quorumUrls.map((url) => new Redis(url));
// The servers run without persistence, which RedisLocking warns about: not news here.
const quiet = { info() {}, warn() {}, error: console.error };
const ours = new RedisLocking({ url: REDIS_URL, keyPrefix: `${prefix}belfry:`, logger: quiet });
const oursQuorum = new RedisLocking({ url: quorumUrls, keyPrefix: `${prefix}belfry:`, logger: quiet });
const figures = [];
const measured = {};
try {
  const floor = rawFloor(single, 'raw SET NX PX + EVALSHA');
  const floorQuorum = rawFloor(trio, 'raw ×3, first majority', true);
  const floorQuorumAll = rawFloor(trio, 'raw ×3, every reply');
  const scripted = scriptedFloor(single[0]);
  await floor.setup();
  await scripted.setup();
  await floorQuorum.setup();
  await floorQuorumAll.setup();

  const singleLatency = await interleavedP50([belfry(ours), floor, scripted]);
  measured['single acquire+release p50'] = summary(singleLatency, 'ms');
  figures.push({ figure: 'single acquire+release p50 ÷ raw floor', goal: '≤ 1.10', ...ratio(singleLatency, [floor.name], Math.min) });
  figures.push({ figure: 'single p50 ÷ raw fenced floor (same script)', goal: '(floor)', ...ratio(singleLatency, [scripted.name], Math.min) });

  const peers = [redlock(single), semaphore(single)];
  const throughput = await interleavedRuns([belfry(ours), ...peers, floor], concurrentRate);
  measured[`single ×${WORKERS} workers`] = summary(throughput, 'ops/s');
  figures.push({ figure: `single ×${WORKERS} throughput ÷ best peer`, goal: '≥ 1.2', ...ratio(throughput, peers.map((peer) => peer.name), Math.max) });
  figures.push({ figure: `single ×${WORKERS} throughput ÷ raw floor`, goal: '(floor)', ...ratio(throughput, [floor.name], Math.max) });

  const quorumLatency = await interleavedP50([belfry(oursQuorum), floorQuorum, floorQuorumAll, redlock(trio), semaphore(trio)]);
  measured['quorum of 3 acquire+release p50'] = summary(quorumLatency, 'ms');
  figures.push({ figure: 'quorum p50 ÷ raw ×3 in parallel, first majority', goal: '≤ 1.15', ...ratio(quorumLatency, [floorQuorum.name], Math.min) });
  figures.push({ figure: 'quorum p50 ÷ raw ×3 in parallel, every reply', goal: '(floor)', ...ratio(quorumLatency, [floorQuorumAll.name], Math.min) });
  figures.push({ figure: 'quorum p50 ÷ redlock', goal: '≤ 0.9', ...ratio(quorumLatency, ['redlock'], Math.min) });
  figures.push({ figure: 'quorum p50 ÷ redis-semaphore RedlockMutex', goal: '—', ...ratio(quorumLatency, ['redis-semaphore RedlockMutex'], Math.min) });
} finally {
  await Promise.all([ours.cleanup(), oursQuorum.cleanup()]);
  for (const client of [...single, ...trio]) client.disconnect();
  await purgePrefix([REDIS_URL], prefix);
  await Promise.all(quorumServers.map((server) => server.stop()));
}

console.log(
  `acquire + release; p50: ${ROUNDS} rounds of ${SEQUENTIAL_OPS} sequential locks; throughput: ${THROUGHPUT_ROUNDS} rounds of ${CONCURRENT_OPS} locks by ${WORKERS} workers${smoke ? ' (smoke)' : ''}`,
);
console.table(measured);
console.log('ratios, ours ÷ theirs per round (latency: lower is better; throughput: higher is better):');
console.table(figures.map(({ figure, against, goal, median: mid, min, max }) => ({ figure: against === undefined ? figure : `${figure} (${against})`, goal, median: mid, 'min–max': `${min}–${max}` })));

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(
  resultsFile,
  `${JSON.stringify({ package: '@belfry/locking-redis', benchmark: 'acquire + release', smoke, rounds: ROUNDS, throughputRounds: THROUGHPUT_ROUNDS, sequentialOps: SEQUENTIAL_OPS, concurrentOps: CONCURRENT_OPS, workers: WORKERS, node: process.version, date: new Date().toISOString(), measured, figures }, null, 2)}\n`,
);
console.log(`written to ${resultsFile}`);
