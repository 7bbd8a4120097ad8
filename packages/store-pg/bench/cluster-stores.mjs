// PgRunHistory against what a user would otherwise write: one append (the
// idempotent INSERT, then the retention DELETE) against a plain INSERT of
// the same row, and one page of 50 newest runs (with its age filter and
// one row of look-ahead) against a plain SELECT … ORDER BY … LIMIT 50 on an
// indexed table. Both tables hold 10,000 runs (the default maxRuns), so
// every append also drops one. Same server, same pool size, interleaved
// rounds; ratios are per round, shown min–max. BENCH_SMOKE=1 runs a few
// iterations only.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgRunHistory } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const iterations = smoke ? 20 : 500;
const rounds = smoke ? 1 : 5;
const kept = smoke ? 500 : 10_000;
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const storeTable = `bench_runs_${suffix}`;
const plainTable = `bench_plain_runs_${suffix}`;

const pool = new pg.Pool({ connectionString: url, max: 4 });
const history = new PgRunHistory({ pool, table: storeTable, maxRuns: kept });
await history.setup();
await pool.query(`CREATE TABLE "${plainTable}" (id text PRIMARY KEY, started_at bigint NOT NULL, run json NOT NULL)`);
await pool.query(`CREATE INDEX ON "${plainTable}" (started_at DESC, id DESC)`);

let sequence = 0;
function nextRun() {
  sequence += 1;
  const startedAt = Date.now();
  return { id: `run-${sequence}`, plugin: 'billing', scheduleId: 'nightly', scheduledAt: startedAt, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt, durationMs: 12, isCatchup: false, manual: false };
}
const plainInsert = (run) => pool.query(`INSERT INTO "${plainTable}" (id, started_at, run) VALUES ($1, $2, $3::json)`, [run.id, run.startedAt, JSON.stringify(run)]);

// Both tables start full, so the store prunes one run per append throughout.
for (let filled = 0; filled < kept; filled += 500) {
  const batch = Array.from({ length: 500 }, nextRun);
  await history.append(batch);
  await pool.query(`INSERT INTO "${plainTable}" SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[])`, [batch.map((run) => run.id), batch.map((run) => run.startedAt), batch.map((run) => JSON.stringify(run))]);
}
await pool.query(`VACUUM ANALYZE "${storeTable}"`);
await pool.query(`VACUUM ANALYZE "${plainTable}"`);

const pairs = [
  {
    name: 'append of one run',
    store: ['PgRunHistory.append([run])', () => history.append([nextRun()])],
    plain: ['plain INSERT of the row', () => plainInsert(nextRun())],
  },
  {
    name: 'newest page of 50',
    store: ['PgRunHistory.query({ limit: 50 })', () => history.query({ limit: 50 })],
    plain: ['plain SELECT … ORDER BY … LIMIT 50', () => pool.query(`SELECT run FROM "${plainTable}" ORDER BY started_at DESC, id DESC LIMIT 50`)],
  },
];

async function time(run) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await run();
  return Number(process.hrtime.bigint() - started) / 1e3 / iterations;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];
for (const pair of pairs) {
  for (const [, run] of [pair.store, pair.plain]) for (let i = 0; i < 20; i += 1) await run(); // warm-up
  const storeUs = [];
  const plainUs = [];
  for (let round = 0; round < rounds; round += 1) {
    storeUs.push(await time(pair.store[1]));
    plainUs.push(await time(pair.plain[1]));
  }
  const ratios = storeUs.map((us, index) => us / plainUs[index]);
  results.push({
    name: pair.name,
    store: pair.store[0],
    storeMicrosecondsPerCall: Math.round(median(storeUs)),
    plain: pair.plain[0],
    plainMicrosecondsPerCall: Math.round(median(plainUs)),
    ratioMin: Number(Math.min(...ratios).toFixed(2)),
    ratioMax: Number(Math.max(...ratios).toFixed(2)),
  });
}
const [{ count }] = (await pool.query(`SELECT count(*)::int AS count FROM "${storeTable}"`)).rows;
await history.close();
await pool.query(`DROP TABLE IF EXISTS "${storeTable}"`);
await pool.query(`DROP TABLE IF EXISTS "${plainTable}"`);
await pool.end();

for (const r of results) {
  console.log(`${r.store.padEnd(36)} ${String(r.storeMicrosecondsPerCall).padStart(6)} µs/call   ${r.plain.padEnd(36)} ${String(r.plainMicrosecondsPerCall).padStart(6)} µs/call   ×${r.ratioMin}–${r.ratioMax}`);
}
console.log(`runs kept after the bench: ${count} (maxRuns ${kept})`);
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/store-pg-run-history${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ package: '@belfry/store-pg', store: 'PgRunHistory', smoke, iterations, rounds, maxRuns: kept, node: process.version, results }, null, 2)}\n`);
console.log(`written ${out}`);
