// Benchmark for @belfry/poller: one tick through PollerRuntime beside what a
// user would write instead, same poller file, same run:
//   - long_lived: PollerRuntime.runTick (cursor load + JSON-RPC round trip + TickAck check + cursor save)
//     beside a bare JSON-RPC round trip to the same process, spawned by hand (no runtime, no watchdog);
//   - ephemeral: PollerRuntime.runTick with a fresh process per tick (watchdog + initialize + tick + shutdown)
//     beside spawning the poller by hand for each tick (no watchdog, no process group).
// Tasks take turns in rounds and each reports its median round, so load from
// other work on the machine hits all of them alike.
// BENCH_SMOKE=1 shortens every measurement so the whole run takes seconds.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MemoryCursorStore, PollerRuntime } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const here = dirname(fileURLToPath(import.meta.url));
const folder = join(here, 'echo-plugin');
const entry = join(folder, 'poller.mjs');
const resultsFile = join(here, '..', '..', '..', 'bench', 'results', `poller${smoke ? '.smoke' : ''}.json`);
const fmt = (n, digits = 2) => Number(n.toFixed(digits));
const silent = { info() {}, warn() {}, error() {} };
const section = { kinds: ['echo'], brokerTopicPrefix: 'bench' };

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

/** A hand-spawned poller and a minimal JSON-RPC client for it. */
function bareClient() {
  const child = spawn(process.execPath, [entry], { cwd: folder, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map();
  let nextId = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const call = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  return { child, call };
}

const tickParams = (n) => ({ job: 'bench', kind: 'echo', scheduledAt: Date.now(), isCatchup: false, fence: null, deadline: Date.now() + 60_000, cursor: { n }, config: null });
const results = { package: '@belfry/poller', smoke, node: process.version };

const longLived = new PollerRuntime({ plugins: [{ id: 'bench_long', folder, entry: 'poller.mjs', poller: section }], cursors: new MemoryCursorStore(), logger: silent });
await longLived.start();
const bare = bareClient();
await bare.call('initialize', { apiVersion: '1.0.0', plugin: 'bench', kinds: ['echo'] });
let n = 0;
const long = await measure(
  {
    runtime: async () => {
      const result = await longLived.runTick({ job: 'bench', kind: 'echo', scheduledAt: Date.now() });
      if (result.outcome !== 'ok') throw new Error(`tick ${result.outcome}: ${result.error?.message}`);
    },
    bare: async () => {
      const reply = await bare.call('bench.tick', tickParams(n++));
      if (reply.result === undefined) throw new Error('bare tick failed');
    },
  },
  { rounds: smoke ? 3 : 20, opsPerRound: smoke ? 20 : 200 },
);
await longLived.stop();
bare.child.stdin.end();
results.longLived = {
  runtimeTicksPerSec: fmt(1000 / long.runtime, 0),
  runtimeMsPerTick: fmt(long.runtime, 3),
  bareRoundTripsPerSec: fmt(1000 / long.bare, 0),
  bareMsPerRoundTrip: fmt(long.bare, 3),
  overheadVsBare: fmt(long.runtime / long.bare),
};
console.log(`long_lived: PollerRuntime ${results.longLived.runtimeTicksPerSec} ticks/s (${results.longLived.runtimeMsPerTick} ms), bare JSON-RPC round trip ${results.longLived.bareRoundTripsPerSec}/s (×${results.longLived.overheadVsBare})`);

const ephemeralRuntime = new PollerRuntime({ plugins: [{ id: 'bench_once', folder, entry: 'poller.mjs', poller: { ...section, lifecycle: 'ephemeral' } }], cursors: new MemoryCursorStore(), logger: silent });
const once = await measure(
  {
    runtime: async () => {
      const result = await ephemeralRuntime.runTick({ job: 'bench', kind: 'echo', scheduledAt: Date.now() });
      if (result.outcome !== 'ok') throw new Error(`tick ${result.outcome}: ${result.error?.message}`);
    },
    bare: async () => {
      const client = bareClient();
      await client.call('initialize', { apiVersion: '1.0.0', plugin: 'bench', kinds: ['echo'] });
      await client.call('bench.tick', tickParams(1));
      client.child.kill('SIGTERM');
    },
  },
  { rounds: smoke ? 2 : 10, opsPerRound: smoke ? 2 : 5 },
);
await ephemeralRuntime.stop();
results.ephemeral = {
  runtimeMsPerTick: fmt(once.runtime, 1),
  bareSpawnMsPerTick: fmt(once.bare, 1),
  watchdogAndGroupCostMs: fmt(once.runtime - once.bare, 1),
};
console.log(`ephemeral: PollerRuntime ${results.ephemeral.runtimeMsPerTick} ms per tick, hand-spawned poller ${results.ephemeral.bareSpawnMsPerTick} ms (watchdog + group: +${results.ephemeral.watchdogAndGroupCostMs} ms)`);

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results: ${resultsFile}`);
