// A fenced snapshot save and a load of RedisSnapshotStore against what a
// user would otherwise pick: FileSnapshotStore on this node's disk (write a
// temp file, fsync, rename — durable, but gone with the disk), and a plain
// HSET of the bytes with no fence check or checksum. 4 KiB and 1 MiB
// payloads; same run, interleaved rounds; the median round, with min–max.
// BENCH_SMOKE=1 runs a few iterations only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { FileSnapshotStore } from '@belfry/stateful-registry';
import { RedisSnapshotStore } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rounds = smoke ? 1 : 5;
const prefix = `bench:snapshots:${process.pid}:`;
const dir = mkdtempSync(join(tmpdir(), 'belfry-bench-snapshots-'));

const store = new RedisSnapshotStore({ url, keyPrefix: prefix, timeoutMs: 10_000 });
const files = new FileSnapshotStore({ dir, logger: { warn() {}, error() {} } });
const plain = new Redis(url);
let fence = 0;

const sizes = [
  { label: '4 KiB', bytes: 4 * 1024, iterations: smoke ? 20 : 1000 },
  { label: '1 MiB', bytes: 1024 * 1024, iterations: smoke ? 3 : 60 },
];

const results = [];
for (const size of sizes) {
  const snapshot = { id: 'bench', version: 1, bytes: new Uint8Array(size.bytes).fill(7) };
  const cases = {
    'RedisSnapshotStore.saveFenced': () => store.saveFenced(snapshot, (fence += 1)),
    'RedisSnapshotStore.load': () => store.load('bench'),
    'FileSnapshotStore.save (fsync)': () => files.save(snapshot),
    'FileSnapshotStore.load': () => files.load('bench'),
    'plain HSET of the bytes (no fence, no checksum)': () => plain.hset(`${prefix}plain`, 'bytes', Buffer.from(snapshot.bytes)),
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
await plain.del(`${prefix}plain`);
await store.delete('bench');
await store.close();
plain.disconnect();
rmSync(dir, { recursive: true, force: true });

for (const r of results) {
  console.log(
    `${r.size.padEnd(6)} ${r.name.padEnd(48)} ${String(r.microsecondsPerCall).padStart(7)} µs/call (${r.minMicroseconds}–${r.maxMicroseconds})  ×${r.ratioToFileSave} vs file save (${r.ratioToFileSaveMin}–${r.ratioToFileSaveMax})`,
  );
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/store-redis-snapshots${smoke ? '.smoke' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ package: '@belfry/store-redis', smoke, rounds, node: process.version, baseline: 'FileSnapshotStore.save (fsync)', results }, null, 2)}\n`);
console.log(`written ${out}`);
