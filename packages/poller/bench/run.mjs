// Benchmark for @belfry/poller beside the sandboxing a user would otherwise
// do by hand, the way BullMQ's sandboxed processors do it, same machine, same run:
//   a. long_lived, one tick round trip to a persistent process:
//      PollerRuntime.runTick (cursor load + JSON-RPC + TickAck check + cursor save, through the watchdog)
//      beside a bare JSON-RPC round trip to the same poller spawned by hand, a `child_process.fork`
//      IPC message to a persistent child, and a `worker_threads` postMessage to a persistent Worker;
//   b. ephemeral, spawn to acknowledgement, a fresh process per job:
//      PollerRuntime.runTick (watchdog + initialize + tick) beside spawning the poller by hand,
//      a fresh `fork` per job and a fresh `Worker` per job;
//   c. ticks per second one long_lived poller sustains, one tick at a time and with
//      maxConcurrentTicks = 8, beside fork and Worker with 8 messages in flight.
// Every task does the same work (count ticks in a cursor). Tasks take turns in rounds, in a
// rotating order, so load from other work on the machine hits all of them alike; each reports its
// median round, and every ratio is taken within a round and given as median (min–max over rounds).
// BENCH_SMOKE=1 shortens every measurement so the whole run takes seconds.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MemoryCursorStore, PollerRuntime } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const here = dirname(fileURLToPath(import.meta.url));
const folder = join(here, 'echo-plugin');
const entry = join(folder, 'poller.mjs');
const forkEntry = join(here, 'fork-child.mjs');
const workerEntry = join(here, 'thread-worker.mjs');
const resultsFile = join(here, '..', '..', '..', 'bench', 'results', `poller${smoke ? '.smoke' : ''}.json`);
const fmt = (n, digits = 2) => Number(n.toFixed(digits));
const silent = { info() {}, warn() {}, error() {} };
const section = { kinds: ['echo'], brokerTopicPrefix: 'bench' };
const IN_FLIGHT = 8;

/** Runs every task `opsPerRound` times per round, rotating which goes first; round 0 warms up and is dropped. Returns ms per op, per task, per round. */
async function measure(tasks, { rounds, opsPerRound }) {
  const names = Object.keys(tasks);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round <= rounds; round += 1) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < opsPerRound; i += 1) await tasks[name]();
      const msPerOp = Number(process.hrtime.bigint() - started) / 1e6 / opsPerRound;
      if (round > 0) samples[name].push(msPerOp);
    }
  }
  return samples;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** `a / b` per round: median and range. */
function ratio(a, b) {
  const per = a.map((value, round) => value / b[round]);
  return { median: fmt(median(per)), min: fmt(Math.min(...per)), max: fmt(Math.max(...per)) };
}
const showRatio = (r) => `×${r.median} (${r.min}–${r.max})`;

/** Matches replies to requests by id over any message channel. */
function caller(post, subscribe) {
  const waiting = new Map();
  let nextId = 1;
  subscribe((message) => {
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return (payload) =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      post({ id, ...payload });
    });
}
const ready = (subscribe) => new Promise((resolve) => subscribe((message) => message.ready && resolve()));

/** A hand-spawned poller and a minimal JSON-RPC client for it. */
function bareClient() {
  const child = spawn(process.execPath, [entry], { cwd: folder, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const call = caller(
    ({ id, method, params }) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`),
    (handler) => lines.on('line', (line) => handler(JSON.parse(line))),
  );
  return { child, call: (method, params) => call({ method, params }) };
}

/** A hand-made fork sandbox: a Node child on an IPC channel, ready once it said so. */
async function forkClient() {
  const child = fork(forkEntry, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const subscribe = (handler) => child.on('message', handler);
  await ready(subscribe);
  return { child, call: caller((message) => child.send(message), subscribe) };
}

/** A hand-made worker_threads sandbox, ready once it said so. */
async function workerClient() {
  const worker = new Worker(workerEntry);
  const subscribe = (handler) => worker.on('message', handler);
  await ready(subscribe);
  return { worker, call: caller((message) => worker.postMessage(message), subscribe) };
}

const tickParams = (n) => ({ job: 'bench', kind: 'echo', scheduledAt: Date.now(), isCatchup: false, fence: null, deadline: Date.now() + 60_000, cursor: { n }, config: null });
const expectOk = (result) => {
  if (result.outcome !== 'ok') throw new Error(`tick ${result.outcome}: ${result.error?.message}`);
};
const expectReply = (reply) => {
  if (reply.result?.cursor === undefined) throw new Error(`no result in ${JSON.stringify(reply)}`);
};
/** Runs `count` calls of `one(i)` with at most `width` in flight. */
async function inFlight(count, width, one) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await one(next++);
  }));
}
const results = { package: '@belfry/poller', smoke, node: process.version, inFlight: IN_FLIGHT };
const table = [];

// a. long_lived round trip.
const longLived = new PollerRuntime({
  plugins: [
    { id: 'bench_long', folder, entry: 'poller.mjs', poller: section },
    { id: 'bench_wide', folder, entry: 'poller.mjs', poller: { kinds: ['wide'], brokerTopicPrefix: 'bench', maxConcurrentTicks: IN_FLIGHT }, env: { KINDS: 'wide' } },
  ],
  cursors: new MemoryCursorStore(),
  logger: silent,
});
await longLived.start();
const bare = bareClient();
await bare.call('initialize', { apiVersion: '1.0.0', plugin: 'bench', kinds: ['echo'] });
const forked = await forkClient();
const thread = await workerClient();
let n = 0;
const long = await measure(
  {
    runtime: async () => expectOk(await longLived.runTick({ job: 'bench', kind: 'echo', scheduledAt: Date.now() })),
    bare: async () => expectReply(await bare.call('bench.tick', tickParams(n++))),
    fork: async () => expectReply(await forked.call({ tick: tickParams(n++) })),
    worker: async () => expectReply(await thread.call({ tick: tickParams(n++) })),
  },
  { rounds: smoke ? 2 : 15, opsPerRound: smoke ? 20 : 2000 },
);
results.longLived = {
  msPerTick: Object.fromEntries(Object.entries(long).map(([name, values]) => [name, fmt(median(values), 3)])),
  runtimeVsBareJsonRpc: ratio(long.runtime, long.bare),
  runtimeVsForkIpc: ratio(long.runtime, long.fork),
  runtimeVsWorkerPostMessage: ratio(long.runtime, long.worker),
};
table.push(
  ['long_lived round trip', 'PollerRuntime.runTick', `${results.longLived.msPerTick.runtime} ms`, '×1'],
  ['', 'bare JSON-RPC to a hand-spawned poller', `${results.longLived.msPerTick.bare} ms`, showRatio(results.longLived.runtimeVsBareJsonRpc)],
  ['', '`fork` IPC to a persistent child', `${results.longLived.msPerTick.fork} ms`, showRatio(results.longLived.runtimeVsForkIpc)],
  ['', '`Worker` postMessage to a persistent worker', `${results.longLived.msPerTick.worker} ms`, showRatio(results.longLived.runtimeVsWorkerPostMessage)],
);

// c. sustained ticks per second of one long_lived poller.
const batch = smoke ? 40 : 3000;
const wide = await measure(
  {
    runtimeSequential: () => inFlight(batch, 1, async (i) => expectOk(await longLived.runTick({ job: `bench-${i % IN_FLIGHT}`, kind: 'echo', scheduledAt: Date.now() }))),
    runtimeConcurrent: () => inFlight(batch, IN_FLIGHT, async (i) => expectOk(await longLived.runTick({ job: `bench-${i % IN_FLIGHT}`, kind: 'wide', scheduledAt: Date.now() }))),
    forkConcurrent: () => inFlight(batch, IN_FLIGHT, async () => expectReply(await forked.call({ tick: tickParams(n++) }))),
    workerConcurrent: () => inFlight(batch, IN_FLIGHT, async () => expectReply(await thread.call({ tick: tickParams(n++) }))),
  },
  { rounds: smoke ? 2 : 10, opsPerRound: 1 },
);
const perSec = (values) => fmt((1000 * batch) / median(values), 0);
// Throughput ratios: how many of the alternative's ticks per second PollerRuntime sustains.
results.throughput = {
  ticksPerSec: Object.fromEntries(Object.entries(wide).map(([name, values]) => [name, perSec(values)])),
  concurrentVsSequential: ratio(wide.runtimeSequential, wide.runtimeConcurrent),
  concurrentVsForkConcurrent: ratio(wide.forkConcurrent, wide.runtimeConcurrent),
  concurrentVsWorkerConcurrent: ratio(wide.workerConcurrent, wide.runtimeConcurrent),
};
table.push(
  ['ticks/s, one long_lived poller', 'PollerRuntime, 1 in flight', `${results.throughput.ticksPerSec.runtimeSequential}/s`, '×1'],
  ['', `PollerRuntime, maxConcurrentTicks = ${IN_FLIGHT}`, `${results.throughput.ticksPerSec.runtimeConcurrent}/s`, `${showRatio(results.throughput.concurrentVsSequential)} of 1 in flight`],
  ['', `\`fork\` IPC, ${IN_FLIGHT} in flight`, `${results.throughput.ticksPerSec.forkConcurrent}/s`, `PollerRuntime sustains ${showRatio(results.throughput.concurrentVsForkConcurrent)} of it`],
  ['', `\`Worker\` postMessage, ${IN_FLIGHT} in flight`, `${results.throughput.ticksPerSec.workerConcurrent}/s`, `PollerRuntime sustains ${showRatio(results.throughput.concurrentVsWorkerConcurrent)} of it`],
);
await longLived.stop();
bare.child.stdin.end();
forked.child.kill();
await thread.worker.terminate();

// b. ephemeral: spawn to acknowledgement. Like the runtime, nobody waits for the process to be reaped.
const ephemeralRuntime = new PollerRuntime({ plugins: [{ id: 'bench_once', folder, entry: 'poller.mjs', poller: { ...section, lifecycle: 'ephemeral' } }], cursors: new MemoryCursorStore(), logger: silent });
const once = await measure(
  {
    runtime: async () => expectOk(await ephemeralRuntime.runTick({ job: 'bench', kind: 'echo', scheduledAt: Date.now() })),
    bare: async () => {
      const client = bareClient();
      await client.call('initialize', { apiVersion: '1.0.0', plugin: 'bench', kinds: ['echo'] });
      expectReply(await client.call('bench.tick', tickParams(1)));
      client.child.kill('SIGTERM');
    },
    fork: async () => {
      const client = await forkClient();
      expectReply(await client.call({ tick: tickParams(1) }));
      client.child.kill('SIGTERM');
    },
    worker: async () => {
      const client = await workerClient();
      expectReply(await client.call({ tick: tickParams(1) }));
      void client.worker.terminate();
    },
  },
  { rounds: smoke ? 1 : 8, opsPerRound: smoke ? 2 : 6 },
);
await ephemeralRuntime.stop();
results.ephemeral = {
  msPerTick: Object.fromEntries(Object.entries(once).map(([name, values]) => [name, fmt(median(values), 1)])),
  runtimeVsBareSpawn: ratio(once.runtime, once.bare),
  runtimeVsForkPerJob: ratio(once.runtime, once.fork),
  runtimeVsWorkerPerJob: ratio(once.runtime, once.worker),
};
table.push(
  ['ephemeral spawn → ack', 'PollerRuntime.runTick', `${results.ephemeral.msPerTick.runtime} ms`, '×1'],
  ['', 'hand-spawned poller (no watchdog, no group)', `${results.ephemeral.msPerTick.bare} ms`, showRatio(results.ephemeral.runtimeVsBareSpawn)],
  ['', 'fresh `fork` per job', `${results.ephemeral.msPerTick.fork} ms`, showRatio(results.ephemeral.runtimeVsForkPerJob)],
  ['', 'fresh `Worker` per job', `${results.ephemeral.msPerTick.worker} ms`, showRatio(results.ephemeral.runtimeVsWorkerPerJob)],
);

console.log(`Node ${process.version}${smoke ? ' (smoke run: numbers are not meaningful)' : ''}; ratios: PollerRuntime's time ÷ the alternative's, or its share of the alternative's ticks/s; median (min–max) over rounds`);
console.log('| measure | variant | median | PollerRuntime vs it |');
console.log('| --- | --- | --- | --- |');
for (const row of table) console.log(`| ${row.join(' | ')} |`);
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results: ${resultsFile}`);
