// One cursor save (the fence-checked Lua script) and one load of
// RedisCursorStore against the plain alternative: an HSET of the same two
// fields on one ioredis client, with no fence check. Same server, same run,
// interleaved rounds. BENCH_SMOKE=1 runs a few iterations only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisCursorStore } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const iterations = smoke ? 50 : 5000;
const rounds = smoke ? 1 : 3;
const prefix = `bench:store:${process.pid}:`;

const store = new RedisCursorStore({ url, keyPrefix: prefix });
const plain = new Redis(url);
const cursor = { since: '2026-11-27T18:00:00Z', page: 3, seen: ['a', 'b', 'c'] };
let fence = 0;

const cases = {
  'RedisCursorStore.save (fence-checked script)': () => store.save('bench', cursor, (fence += 1)),
  'RedisCursorStore.load': () => store.load('bench'),
  'plain HSET fence + cursor (no check)': () => plain.hset(`${prefix}plain`, 'fence', String((fence += 1)), 'cursor', JSON.stringify(cursor)),
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const run of Object.values(cases)) for (let i = 0; i < 50; i += 1) await run(); // warm-up
for (let round = 0; round < rounds; round += 1) {
  for (const [name, run] of Object.entries(cases)) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await run();
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e3 / iterations);
  }
}
await plain.del(`${prefix}plain`, `${prefix}cursor:bench`);
await store.close();
plain.disconnect();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baselineName = Object.keys(cases)[2];
const baseline = median(samples[baselineName]);
const results = Object.entries(samples).map(([name, values]) => {
  const us = median(values);
  return { name, microsecondsPerCall: Math.round(us), callsPerSecond: Math.round(1e6 / us), ratioToPlain: Number((us / baseline).toFixed(2)) };
});
for (const r of results) {
  console.log(`${r.name.padEnd(48)} ${String(r.microsecondsPerCall).padStart(6)} µs/call  ${String(r.callsPerSecond).padStart(6)} calls/s  ×${r.ratioToPlain} vs plain`);
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/store-redis${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ package: '@belfry/store-redis', smoke, iterations, rounds, node: process.version, baseline: baselineName, results }, null, 2)}\n`);
console.log(`written ${out}`);
await import('./run-history.mjs');
