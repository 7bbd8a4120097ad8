// Acquire + release of PgLocking (lease and advisory mode) against the floor
// a user would otherwise write by hand: pg_try_advisory_lock +
// pg_advisory_unlock on a connection borrowed from the same pg.Pool. Both
// modes and the floor share one pool and one server, and run in short
// interleaved rounds (rotating order), so load from elsewhere on the
// machine hits them alike; each figure is the per-round ratio to the floor
// of that same round, median and min–max over rounds.
// Two more references show where the time goes. The "durable floor" is the
// floor of any lock that survives a database restart: an INSERT that waits
// for its WAL flush, and a DELETE that does not (as lease mode does). The
// "fenced floor" draws a fence from a sequence with the lock, as advisory
// mode does: every 32nd nextval() writes WAL that its commit must flush.
// BENCH_SMOKE=1 runs one short round only, to check the benchmark works.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { advisoryKey, PgLocking } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = smoke ? 1 : 9;
/** Each round is SWEEPS short blocks per case, rotating order: tight interleaving, so bursts of load hit every case alike. */
const SWEEPS = smoke ? 1 : 10;
const PAIRS_PER_BLOCK = smoke ? 30 : 30;
const PAIRS_PER_ROUND = SWEEPS * PAIRS_PER_BLOCK;
/** Distinct keys each case cycles through, as a scheduler cycles through its jobs. */
const KEYS = 100;
const TTL_MS = 30_000;
const table = `bench_locks_${process.pid}`;
const durableTable = `bench_durable_${process.pid}`;

const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'belfry-locking-pg-bench' });
pool.on('error', () => {});
const lease = new PgLocking({ pool, mode: 'lease', table });
const advisory = new PgLocking({ pool, mode: 'advisory', table, keyPrefix: `bench-${process.pid}:` });
await lease.setup();
await advisory.setup();
await pool.query(`CREATE TABLE "${durableTable}" (key text PRIMARY KEY)`);
const floorKeys = Array.from({ length: KEYS }, (_, i) => advisoryKey(`bench-floor-${process.pid}:${i}`));

const FLOOR = 'floor: pg_try_advisory_lock + pg_advisory_unlock';
const FENCED = 'fenced floor: the same, nextval() drawn with the lock';
const DURABLE = 'durable floor: INSERT + DELETE (no flush wait)';
const fenceSequence = `"${table}_fence_seq"`;
const cases = {
  [FLOOR]: async (i) => {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_try_advisory_lock($1::bigint)', [floorKeys[i % KEYS]]);
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [floorKeys[i % KEYS]]);
    } finally {
      client.release();
    }
  },
  [FENCED]: async (i) => {
    const client = await pool.connect();
    try {
      await client.query(`SELECT CASE WHEN pg_try_advisory_lock($1::bigint) THEN nextval('${fenceSequence}') END`, [floorKeys[i % KEYS]]);
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [floorKeys[i % KEYS]]);
    } finally {
      client.release();
    }
  },
  'PgLocking lease: tryLock + release': async (i) => {
    const handle = await lease.tryLock(`job-${i % KEYS}`, TTL_MS);
    if (handle === null) throw new Error('lease: key contended');
    await lease.release(handle);
  },
  'PgLocking advisory: tryLock + release': async (i) => {
    const handle = await advisory.tryLock(`job-${i % KEYS}`, TTL_MS);
    if (handle === null) throw new Error('advisory: key contended');
    await advisory.release(handle);
  },
  [DURABLE]: async (i) => {
    await pool.query(`INSERT INTO "${durableTable}" (key) VALUES ($1)`, [`job-${i % KEYS}`]);
    await pool.query(
      `DELETE FROM "${durableTable}" USING (SELECT set_config('synchronous_commit', 'off', true) AS applied) AS s WHERE key = $1 AND s.applied IS NOT NULL`,
      [`job-${i % KEYS}`],
    );
  },
};

const names = Object.keys(cases);
const perRound = Object.fromEntries(names.map((name) => [name, []]));
try {
  for (const run of Object.values(cases)) for (let i = 0; i < 50; i += 1) await run(i); // connections, plans, JIT
  for (let round = 0; round < ROUNDS; round += 1) {
    const spent = Object.fromEntries(names.map((name) => [name, 0]));
    for (let sweep = 0; sweep < SWEEPS; sweep += 1) {
      const shift = (round * SWEEPS + sweep) % names.length;
      for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
        const started = performance.now();
        for (let i = 0; i < PAIRS_PER_BLOCK; i += 1) await cases[name](sweep * PAIRS_PER_BLOCK + i);
        spent[name] += performance.now() - started;
      }
    }
    for (const name of names) perRound[name].push((spent[name] * 1000) / PAIRS_PER_ROUND); // µs per pair
  }
} finally {
  await lease.cleanup();
  await advisory.cleanup();
  await pool.query(`DROP TABLE IF EXISTS "${table}"; DROP SEQUENCE IF EXISTS "${table}_fence_seq"; DROP TABLE IF EXISTS "${durableTable}"`);
  await pool.end();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round2 = (value) => Number(value.toFixed(2));
/** Per-round ratio of `name` to `baseline`, so a burst of load spoils one round, not the figure. */
function ratio(name, baseline, goal) {
  const ratios = perRound[name].map((us, round) => us / perRound[baseline][round]);
  return { figure: `${name} vs ${baseline}`, median: round2(median(ratios)), min: round2(Math.min(...ratios)), max: round2(Math.max(...ratios)), goal };
}
const timings = names.map((name) => ({ name, microsecondsPerPair: Math.round(median(perRound[name])), pairsPerSecond: Math.round(1e6 / median(perRound[name])) }));
const figures = [
  ratio('PgLocking lease: tryLock + release', FLOOR, 2),
  ratio('PgLocking advisory: tryLock + release', FLOOR, 1.15),
  ratio('PgLocking lease: tryLock + release', DURABLE, null),
  ratio('PgLocking advisory: tryLock + release', FENCED, null),
  ratio(DURABLE, FLOOR, null),
  ratio(FENCED, FLOOR, null),
];

console.log(`acquire + release pairs, ${ROUNDS} rounds × ${PAIRS_PER_ROUND} per case, one shared pg.Pool${smoke ? ' (smoke)' : ''}`);
console.table(timings.map(({ name, microsecondsPerPair, pairsPerSecond }) => ({ name, 'µs/pair (median)': microsecondsPerPair, 'pairs/s': pairsPerSecond })));
console.log('ratios (time per pair; 1 = the floor), per round, median and min–max:');
console.table(figures.map(({ figure, median: m, min, max, goal }) => ({ figure, median: m, 'min–max': `${min}–${max}`, goal: goal ?? '' })));

const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/locking-pg${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ package: '@belfry/locking-pg', benchmark: 'acquire + release', smoke, rounds: ROUNDS, pairsPerRound: PAIRS_PER_ROUND, node: process.version, date: new Date().toISOString(), baseline: FLOOR, timings, figures }, null, 2)}\n`,
);
console.log(`written to ${out}`);
