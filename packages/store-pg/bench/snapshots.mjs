// A fenced snapshot save and a load of PgSnapshotStore against what a user
// would otherwise pick: FileSnapshotStore on this node's disk (write a temp
// file, fsync, rename — durable, but gone with the disk), and a plain upsert
// of the bytes on one pg.Client with no fence check or checksum. 4 KiB and 1 MiB
// payloads; same run, interleaved rounds; the median round, with min–max.
// BENCH_SMOKE=1 runs a few iterations only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FileSnapshotStore } from '@belfry/stateful-registry';
import { PgSnapshotStore } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rounds = smoke ? 1 : 5;
const table = `bench_snapshots_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'belfry-bench-snapshots-'));

const store = new PgSnapshotStore({ connectionString: url, table, timeoutMs: 10_000 });
await store.setup();
const files = new FileSnapshotStore({ dir, logger: { warn() {}, error() {} } });
const plain = new pg.Client({ connectionString: url });
await plain.connect();
let fence = 0;

const sizes = [
  { label: '4 KiB', bytes: 4 * 1024, iterations: smoke ? 20 : 1000 },
  { label: '1 MiB', bytes: 1024 * 1024, iterations: smoke ? 3 : 60 },
];

const results = [];
for (const size of sizes) {
  const snapshot = { id: 'bench', version: 1, bytes: new Uint8Array(size.bytes).fill(7) };
  const cases = {
    'PgSnapshotStore.saveFenced': () => store.saveFenced(snapshot, (fence += 1)),
    'PgSnapshotStore.load': () => store.load('bench'),
    'FileSnapshotStore.save (fsync)': () => files.save(snapshot),
    'FileSnapshotStore.load': () => files.load('bench'),
    'plain upsert of the bytes (no fence, no checksum)': () =>
      plain.query(`INSERT INTO "${table}" (id, version, fence, checksum, bytes) VALUES ('plain', 1, 0, '', $1) ON CONFLICT (id) DO UPDATE SET bytes = EXCLUDED.bytes`, [Buffer.from(snapshot.bytes)]),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) for (let i = 0; i < 5; i += 1) await run(); // warm-up
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, run] of Object.entries(cases)) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < size.iterations; i += 1) await run();
      samples[name].push(Number(process.hrtime.bigint() - started) / 1e3 / size.iterations);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const fileSave = samples['FileSnapshotStore.save (fsync)'];
  for (const [name, values] of Object.entries(samples)) {
    const ratios = values.map((us, i) => us / fileSave[i]);
    results.push({
      size: size.label,
      name,
      microsecondsPerCall: Math.round(median(values)),
      minMicroseconds: Math.round(Math.min(...values)),
      maxMicroseconds: Math.round(Math.max(...values)),
      ratioToFileSave: Number(median(ratios).toFixed(2)),
      ratioToFileSaveMin: Number(Math.min(...ratios).toFixed(2)),
      ratioToFileSaveMax: Number(Math.max(...ratios).toFixed(2)),
    });
  }
}
await plain.query(`DROP TABLE "${table}"`);
await plain.end();
await store.close();
rmSync(dir, { recursive: true, force: true });

for (const r of results) {
  console.log(
    `${r.size.padEnd(6)} ${r.name.padEnd(48)} ${String(r.microsecondsPerCall).padStart(7)} µs/call (${r.minMicroseconds}–${r.maxMicroseconds})  ×${r.ratioToFileSave} vs file save (${r.ratioToFileSaveMin}–${r.ratioToFileSaveMax})`,
  );
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/store-pg-snapshots${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ package: '@belfry/store-pg', smoke, rounds, node: process.version, baseline: 'FileSnapshotStore.save (fsync)', results }, null, 2)}\n`);
console.log(`written ${out}`);
