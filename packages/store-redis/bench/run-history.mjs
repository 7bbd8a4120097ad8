// RedisRunHistory against what a user would write by hand: a sorted set of
// run JSON scored by startedAt, appended with ZADD (+ ZREMRANGEBYRANK to
// keep maxRuns, one pipelined round trip) and read with ZREVRANGEBYSCORE —
// no idempotency, no age limit, no filters, no paging cursor. Both hold
// 10,000 runs (the default maxRuns), so every append also trims. Same
// server, same run, interleaved rounds; each round's ratio is the store's
// time over the plain one's, reported min–max. BENCH_SMOKE=1 runs a few
// iterations only.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisRunHistory } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const iterations = smoke ? 20 : 1000;
const rounds = smoke ? 1 : 7;
const kept = smoke ? 500 : 10_000;
const pageSize = 50;
const prefix = `bench:history:${process.pid}:`;
const plainKey = `${prefix}plain`;

const history = new RedisRunHistory({ url, keyPrefix: prefix, maxRuns: kept });
const plain = new Redis(url);
let clock = Date.now() - 3_600_000;
const run = () => {
  clock += 1;
  return { id: randomUUID(), plugin: clock % 10 === 0 ? 'mail' : 'billing', scheduleId: 'nightly', scheduledAt: clock, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt: clock, durationMs: 12, isCatchup: false, manual: false, metrics: { items: 42 } };
};
const plainAppend = (record) => plain.multi().zadd(plainKey, record.startedAt, JSON.stringify(record)).zremrangebyrank(plainKey, 0, -(kept + 1)).exec();

// Both start full, so retention runs on every append.
for (let filled = 0; filled < kept; filled += 500) {
  const batch = Array.from({ length: 500 }, run);
  await history.append(batch);
  await plain.zadd(plainKey, ...batch.flatMap((record) => [record.startedAt, JSON.stringify(record)]));
}

const pairs = [
  { name: 'append 1 run', store: () => history.append([run()]), baseline: () => plainAppend(run()), baselineName: 'ZADD + ZREMRANGEBYRANK' },
  {
    name: `query newest ${pageSize}`,
    store: () => history.query({ limit: pageSize }),
    baseline: async () => (await plain.zrevrangebyscore(plainKey, '+inf', '-inf', 'LIMIT', 0, pageSize)).map((text) => JSON.parse(text)),
    baselineName: `ZREVRANGEBYSCORE LIMIT ${pageSize} (+ JSON.parse)`,
  },
  {
    name: `query plugin filter (1 run in 10), ${pageSize}`,
    store: () => history.query({ plugin: 'mail', limit: pageSize }),
    baseline: async () => (await plain.zrevrangebyscore(plainKey, '+inf', '-inf', 'LIMIT', 0, pageSize)).map((text) => JSON.parse(text)),
    baselineName: `ZREVRANGEBYSCORE LIMIT ${pageSize}, unfiltered`,
  },
];

/** µs per call of each side, alternating in chunks so a burst of load elsewhere hits both alike. */
async function timedPair(pair) {
  const chunks = smoke ? 1 : 10;
  const spent = { store: 0n, baseline: 0n };
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    for (const side of ['store', 'baseline']) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < iterations / chunks; i += 1) await pair[side]();
      spent[side] += process.hrtime.bigint() - started;
    }
  }
  return { store: Number(spent.store) / 1e3 / iterations, baseline: Number(spent.baseline) / 1e3 / iterations };
}

for (const pair of pairs) for (let i = 0; i < 50; i += 1) await Promise.all([pair.store(), pair.baseline()]); // warm-up
const samples = pairs.map(() => ({ store: [], baseline: [], ratio: [] }));
for (let round = 0; round < rounds; round += 1) {
  for (const [index, pair] of pairs.entries()) {
    const { store, baseline } = await timedPair(pair);
    samples[index].store.push(store);
    samples[index].baseline.push(baseline);
    samples[index].ratio.push(store / baseline);
  }
}
await history.close();
const leftovers = await plain.keys(`${prefix}*`);
if (leftovers.length > 0) await plain.del(...leftovers);
plain.disconnect();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = pairs.map((pair, index) => {
  const { store, baseline, ratio } = samples[index];
  return {
    name: pair.name,
    baseline: pair.baselineName,
    storeMicroseconds: Math.round(median(store)),
    baselineMicroseconds: Math.round(median(baseline)),
    ratioMin: Number(Math.min(...ratio).toFixed(2)),
    ratioMax: Number(Math.max(...ratio).toFixed(2)),
  };
});
console.log(`RedisRunHistory vs a plain sorted set, ${kept} runs kept, ${rounds} × ${iterations} calls${smoke ? ' (smoke)' : ''} (ratio >1: the store is slower)`);
for (const r of results) {
  console.log(`${r.name.padEnd(42)} ${String(r.storeMicroseconds).padStart(5)} µs  vs ${r.baseline.padEnd(38)} ${String(r.baselineMicroseconds).padStart(5)} µs  ×${r.ratioMin}–${r.ratioMax}`);
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/store-redis-run-history${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ package: '@belfry/store-redis', benchmark: 'RedisRunHistory append and query', smoke, iterations, rounds, kept, node: process.version, results }, null, 2)}\n`);
console.log(`written ${out}`);
