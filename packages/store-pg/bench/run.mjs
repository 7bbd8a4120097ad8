// One cursor save (the fence-checked INSERT … ON CONFLICT … WHERE) and one
// load of PgCursorStore, each on a pooled connection, against the plain
// alternative: an unconditional upsert of the same row on one dedicated
// pg.Client. Same server, same run, interleaved rounds. BENCH_SMOKE=1 runs
// a few iterations only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgCursorStore } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const iterations = smoke ? 50 : 2000;
const rounds = smoke ? 1 : 3;
const table = `bench_cursors_${process.pid}`;

const store = new PgCursorStore({ connectionString: url, table });
await store.setup();
const plain = new pg.Client({ connectionString: url });
await plain.connect();
const cursor = { since: '2026-11-27T18:00:00Z', page: 3, seen: ['a', 'b', 'c'] };
let fence = 0;

const cases = {
  'PgCursorStore.save (fence-checked upsert)': () => store.save('bench', cursor, (fence += 1)),
  'PgCursorStore.load': () => store.load('bench'),
  'plain upsert on one pg.Client (no check)': () =>
    plain.query(`INSERT INTO "${table}" (job_id, fence, cursor) VALUES ('plain', $1, $2::json) ON CONFLICT (job_id) DO UPDATE SET fence = EXCLUDED.fence, cursor = EXCLUDED.cursor`, [
      (fence += 1),
      JSON.stringify(cursor),
    ]),
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const run of Object.values(cases)) for (let i = 0; i < 20; i += 1) await run(); // warm-up
for (let round = 0; round < rounds; round += 1) {
  for (const [name, run] of Object.entries(cases)) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await run();
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e3 / iterations);
  }
}
await store.close();
await plain.query(`DROP TABLE IF EXISTS "${table}"`);
await plain.end();

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
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/store-pg${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ package: '@belfry/store-pg', smoke, iterations, rounds, node: process.version, baseline: baselineName, results }, null, 2)}\n`);
console.log(`written ${out}`);
await import('./cluster-stores.mjs');
