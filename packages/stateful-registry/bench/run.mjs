// Benchmark for @belfry/stateful-registry: FileSnapshotStore save + load beside
// the alternatives a user would write instead, same bytes, same folder, same run:
//   - naive: fs.writeFileSync + fs.readFileSync (no checksum, no fsync, not atomic);
//   - hand-rolled atomic: write temp + fsync + rename + folder fsync, then read (no checksum, no generations).
// The three run interleaved, in rounds, and each reports its median round, so
// load from other work on the machine hits all of them alike.
// BENCH_SMOKE=1 shortens every measurement so the whole run takes seconds.
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileSnapshotStore } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(here, '..', '..', '..', 'bench', 'results', `stateful-registry${smoke ? '.smoke' : ''}.json`);
const fmt = (n, digits = 2) => Number(n.toFixed(digits));
const silent = { info() {}, warn() {}, error() {} };
const results = { package: '@belfry/stateful-registry', smoke, node: process.version, fileStore: [] };

const sizes = smoke ? [{ label: '4 KiB', bytes: 4 * 1024 }] : [
  { label: '4 KiB', bytes: 4 * 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
];

/**
 * Runs every task `opsPerRound` times per round, the tasks taking turns, after
 * one warm-up round; returns each task's median milliseconds per operation.
 */
async function measure(tasks, { rounds, opsPerRound }) {
  const samples = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const [name, task] of Object.entries(tasks)) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < opsPerRound; i += 1) await task();
      const msPerOp = Number(process.hrtime.bigint() - started) / 1e6 / opsPerRound;
      if (round > 0) samples[name].push(msPerOp);
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

const root = mkdtempSync(join(tmpdir(), 'belfry-bench-'));
try {
  for (const size of sizes) {
    const bytes = new Uint8Array(size.bytes).map((_, i) => (i * 31) & 0xff);
    const storeDir = join(root, `store-${size.bytes}`);
    const naiveDir = join(root, `naive-${size.bytes}`);
    const atomicDir = join(root, `atomic-${size.bytes}`);
    for (const dir of [naiveDir, atomicDir]) mkdirSync(dir, { recursive: true });
    const store = new FileSnapshotStore({ dir: storeDir, logger: silent });
    const naivePath = join(naiveDir, 'bench.bin');
    const atomicPath = join(atomicDir, 'bench.bin');
    let version = 0;

    const tasks = {
      'FileSnapshotStore save + load': async () => {
        version = (version % 1000) + 1;
        await store.save({ id: 'bench', version, bytes });
        const loaded = await store.load('bench');
        if (loaded?.bytes.length !== bytes.length) throw new Error('FileSnapshotStore lost the payload');
      },
      'writeFileSync + readFileSync (naive)': () => {
        writeFileSync(naivePath, bytes);
        if (readFileSync(naivePath).length !== bytes.length) throw new Error('naive write lost the payload');
      },
      'temp + fsync + rename + readFileSync (hand-rolled atomic)': () => {
        const temp = `${atomicPath}.tmp`;
        const fd = openSync(temp, 'w');
        writeSync(fd, bytes);
        fsyncSync(fd);
        closeSync(fd);
        renameSync(temp, atomicPath);
        const dirFd = openSync(atomicDir, 'r');
        fsyncSync(dirFd);
        closeSync(dirFd);
        if (readFileSync(atomicPath).length !== bytes.length) throw new Error('atomic write lost the payload');
      },
    };
    const medianMs = await measure(tasks, { rounds: smoke ? 3 : 25, opsPerRound: smoke ? 3 : 20 });
    const ours = medianMs['FileSnapshotStore save + load'];
    const naive = medianMs['writeFileSync + readFileSync (naive)'];
    const atomic = medianMs['temp + fsync + rename + readFileSync (hand-rolled atomic)'];
    const row = {
      payload: size.label,
      fileStoreOpsPerSec: fmt(1000 / ours, 1),
      fileStoreMsPerOp: fmt(ours, 3),
      naiveOpsPerSec: fmt(1000 / naive, 1),
      naiveMsPerOp: fmt(naive, 3),
      handRolledAtomicOpsPerSec: fmt(1000 / atomic, 1),
      handRolledAtomicMsPerOp: fmt(atomic, 3),
      slowdownVsNaive: fmt(ours / naive),
      slowdownVsHandRolledAtomic: fmt(ours / atomic),
    };
    results.fileStore.push(row);
    console.log(
      `file store | ${size.label}: FileSnapshotStore ${row.fileStoreOpsPerSec} save+load/s (${row.fileStoreMsPerOp} ms), ` +
        `naive writeFileSync+readFileSync ${row.naiveOpsPerSec}/s (×${row.slowdownVsNaive} slower), ` +
        `hand-rolled atomic ${row.handRolledAtomicOpsPerSec}/s (×${row.slowdownVsHandRolledAtomic})`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results: ${resultsFile}`);
