// Acquire + release round trips of PgLocking (lease and advisory mode)
// against the plain alternative: pg_try_advisory_lock / pg_advisory_unlock
// on one dedicated pg.Client. Same server, same run, interleaved rounds.
// BENCH_SMOKE=1 runs a few iterations only, to check the benchmark works.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { advisoryKey, PgLocking } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const iterations = smoke ? 50 : 2000;
const rounds = smoke ? 1 : 3;
const table = `bench_locks_${process.pid}`;

const lease = new PgLocking({ connectionString: url, mode: 'lease', table, maxConnections: 1 });
const advisory = new PgLocking({ connectionString: url, mode: 'advisory', table, maxConnections: 2, keyPrefix: `bench-${process.pid}:` });
await lease.setup();
await advisory.setup();
const plain = new pg.Client({ connectionString: url });
await plain.connect();
const plainKey = advisoryKey(`bench-plain-${process.pid}`);

const cases = {
  'PgLocking lease: tryLock + release': async () => {
    const handle = await lease.tryLock('bench', 30_000);
    await lease.release(handle);
  },
  'PgLocking advisory: tryLock + release': async () => {
    const handle = await advisory.tryLock('bench', 30_000);
    await advisory.release(handle);
  },
  'plain pg_try_advisory_lock + pg_advisory_unlock (one pg.Client)': async () => {
    await plain.query('SELECT pg_try_advisory_lock($1::bigint)', [plainKey]);
    await plain.query('SELECT pg_advisory_unlock($1::bigint)', [plainKey]);
  },
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const run of Object.values(cases)) for (let i = 0; i < 20; i += 1) await run(); // warm-up
for (let round = 0; round < rounds; round += 1) {
  for (const [name, run] of Object.entries(cases)) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await run();
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e3 / iterations); // µs per pair
  }
}

await lease.cleanup();
await advisory.cleanup();
await plain.query(`DROP TABLE IF EXISTS "${table}"; DROP SEQUENCE IF EXISTS "${table}_fence_seq"`);
await plain.end();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baselineName = Object.keys(cases)[2];
const baseline = median(samples[baselineName]);
const results = Object.entries(samples).map(([name, values]) => {
  const us = median(values);
  return { name, microsecondsPerPair: Math.round(us), pairsPerSecond: Math.round(1e6 / us), ratioToPlain: Number((us / baseline).toFixed(2)) };
});
for (const r of results) {
  console.log(`${r.name.padEnd(66)} ${String(r.microsecondsPerPair).padStart(6)} µs/pair  ${String(r.pairsPerSecond).padStart(6)} pairs/s  ×${r.ratioToPlain} vs plain`);
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/locking-pg${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ package: '@belfry/locking-pg', smoke, iterations, rounds, node: process.version, baseline: baselineName, results }, null, 2)}\n`,
);
console.log(`written ${out}`);
