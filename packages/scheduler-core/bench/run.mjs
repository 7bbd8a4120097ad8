// Benchmarks for @belfry/scheduler-core, each beside the alternative a user
// would pick instead, in the same process and run:
//   1. next-run computation: parseSchedule().next vs croner vs cron-parser;
//   2. the Scheduler at 1k / 10k / 100k registered schedules vs one croner
//      job per schedule: setup time, CPU per firing, idle CPU;
//   3. lateness of a burst of 1,000 firings due at one instant (bench/burst.mjs)
//      vs croner scheduling the same 1,000 jobs.
// BENCH_SMOKE=1 shortens every measurement so the whole run takes seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { ManualClock, parseSchedule, Scheduler } from '../dist/index.js';
import { BURST_ROUNDS, measureBurst, measureBurstWork } from './burst.mjs';

const smoke = process.env.BENCH_SMOKE === '1';
const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(here, '..', '..', '..', 'bench', 'results', `scheduler-core${smoke ? '.smoke' : ''}.json`);
const silent = { info() {}, warn() {}, error() {} };
const results = { package: '@belfry/scheduler-core', smoke, node: process.version, nextRun: [], scheduler: [], burstWork: [], burst: [] };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n, digits = 2) => Number(n.toFixed(digits));

// ---------------------------------------------------------------- 1. next-run computation

const cases = [
  { name: 'every 5 minutes, UTC', expr: '*/5 * * * *', tz: 'UTC' },
  { name: 'weekdays 09:00, Europe/Berlin', expr: '0 9 * * MON-FRI', tz: 'Europe/Berlin' },
  { name: 'last day of month 23:30, America/New_York', expr: '30 23 L * *', tz: 'America/New_York' },
  { name: 'every 30 s (interval vs 6-field cron)', expr: '30s', cronEquivalent: '*/30 * * * * *', tz: 'UTC' },
];

const start = Date.parse('2026-03-01T00:00:00Z');
const STEPS = 64;
for (const c of cases) {
  const cronText = c.cronEquivalent ?? c.expr;
  const ours = parseSchedule(c.expr, { timezone: c.tz });
  const croner = new Cron(cronText, { timezone: c.tz });
  const parser = CronExpressionParser.parse(cronText, { currentDate: new Date(start), tz: c.tz });
  const bench = new Bench({ time: smoke ? 20 : 1_000, warmupTime: smoke ? 5 : 200 });
  // Each task walks the same 64 consecutive occurrences, so all three do the same work.
  bench
    .add('belfry parseSchedule().next', () => {
      let t = start;
      for (let i = 0; i < STEPS; i += 1) t = ours.next(t);
    })
    .add('croner nextRun', () => {
      let d = new Date(start);
      for (let i = 0; i < STEPS; i += 1) d = croner.nextRun(d);
    })
    .add('cron-parser next', () => {
      parser.reset(new Date(start));
      for (let i = 0; i < STEPS; i += 1) parser.next();
    });
  await bench.run();
  const perCall = Object.fromEntries(
    bench.tasks.map((task) => [task.name, (task.result.latency?.mean ?? task.result.mean) * 1000 / STEPS]),
  );
  const oursUs = perCall['belfry parseSchedule().next'];
  const row = {
    case: c.name,
    belfryUsPerNext: fmt(oursUs, 3),
    cronerUsPerNext: fmt(perCall['croner nextRun'], 3),
    cronParserUsPerNext: fmt(perCall['cron-parser next'], 3),
    speedupVsCroner: fmt(perCall['croner nextRun'] / oursUs),
    speedupVsCronParser: fmt(perCall['cron-parser next'] / oursUs),
  };
  results.nextRun.push(row);
  console.log(`next-run | ${c.name}: belfry ${row.belfryUsPerNext} µs, croner ${row.cronerUsPerNext} µs (×${row.speedupVsCroner}), cron-parser ${row.cronParserUsPerNext} µs (×${row.speedupVsCronParser})`);
}

// ---------------------------------------------------------------- 2. the scheduler vs one croner job per schedule

// Both engines wait with setTimeout. Wrapping it measures the CPU time their
// timer callbacks use, including the promise work they start: from a
// timers-phase batch's first callback to the check phase right after it.
// CPU time, not wall time, so other load on the machine does not count;
// and per batch, not per window, because V8's background threads alone
// cost more than an idle scheduler.
const realSetTimeout = globalThis.setTimeout;
const loop = { busyMs: 0, wakes: 0, batchStart: null };
const cpuNowMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
globalThis.setTimeout = function measuredSetTimeout(callback, delay, ...args) {
  return realSetTimeout(function measured(...inner) {
    loop.wakes += 1;
    if (loop.batchStart === null) {
      loop.batchStart = cpuNowMs();
      setImmediate(() => {
        loop.busyMs += cpuNowMs() - loop.batchStart;
        loop.batchStart = null;
      });
    }
    return callback(...inner);
  }, delay, ...args);
};
async function measure(windowMs) {
  global.gc?.();
  await sleep(200);
  loop.busyMs = 0;
  loop.wakes = 0;
  await sleep(windowMs);
  return { busyMs: loop.busyMs, wakes: loop.wakes };
}

/** Schedule i fires once a minute, at second i mod 60, so every second a 60th of them fires. */
const patternFor = (i) => `${i % 60} * * * * *`;

async function belfryWith(n, cronFor, run) {
  const scheduler = new Scheduler({ logger: silent, nodeId: 'bench' });
  for (let p = 0; p * 100 < n; p += 1) {
    const schedules = [];
    for (let s = 0; s < 100 && p * 100 + s < n; s += 1) {
      schedules.push({ id: `s${s}`, cron: cronFor(p * 100 + s), locking: 'node_local', missedRunPolicy: 'skip' });
    }
    await scheduler.register({ name: `p${p}`, schedules: () => schedules, run });
  }
  await scheduler.start();
  return scheduler;
}

const heapUsed = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed;
};

async function measureBelfry(n, firingWindowMs, idleWindowMs) {
  let firings = 0;
  const h0 = heapUsed();
  const t0 = performance.now();
  const scheduler = await belfryWith(n, patternFor, () => {
    firings += 1;
  });
  const setupMs = performance.now() - t0;
  const heapKbPerSchedule = (heapUsed() - h0) / 1024 / n;
  const before = firings;
  const firing = await measure(firingWindowMs);
  const fired = firings - before;
  await scheduler.stop({ graceMs: 0 });
  let idle = null;
  if (idleWindowMs > 0) {
    const quiet = await belfryWith(n, () => '0 0 1 1 *', () => undefined);
    idle = await measure(idleWindowMs);
    await quiet.stop({ graceMs: 0 });
  }
  return { setupMs, heapKbPerSchedule, perFiringUs: fired > 0 ? (firing.busyMs * 1000) / fired : null, fired, idle };
}

/** Croner keeps ~80 KB of tables per job; past this many jobs the default heap cannot hold them. */
const CRONER_MAX_JOBS = 20_000;

async function measureCroner(n, firingWindowMs, idleWindowMs) {
  if (n > CRONER_MAX_JOBS) return null;
  let firings = 0;
  const h0 = heapUsed();
  const t0 = performance.now();
  const jobs = [];
  for (let i = 0; i < n; i += 1) jobs.push(new Cron(patternFor(i), { protect: true }, () => { firings += 1; }));
  const setupMs = performance.now() - t0;
  const heapKbPerSchedule = (heapUsed() - h0) / 1024 / n;
  const before = firings;
  const firing = await measure(firingWindowMs);
  const fired = firings - before;
  for (const job of jobs) job.stop();
  let idle = null;
  if (idleWindowMs > 0) {
    const quiet = [];
    for (let i = 0; i < n; i += 1) quiet.push(new Cron('0 0 1 1 *', () => undefined));
    idle = await measure(idleWindowMs);
    for (const job of quiet) job.stop();
  }
  return { setupMs, heapKbPerSchedule, perFiringUs: fired > 0 ? (firing.busyMs * 1000) / fired : null, fired, idle };
}

const sizes = smoke ? [1_000] : [1_000, 10_000, 100_000];
// Both engines look at the clock at least every 30 s, so an idle window must be longer to see a wake.
const firingWindowMs = smoke ? 1_100 : 3_000;
const idleWindowMs = smoke ? 0 : 31_000;
for (const n of sizes) {
  const belfry = await measureBelfry(n, firingWindowMs, idleWindowMs);
  const croner = await measureCroner(n, firingWindowMs, idleWindowMs);
  const row = {
    registered: n,
    belfrySetupMs: fmt(belfry.setupMs, 1),
    belfryHeapKbPerSchedule: fmt(belfry.heapKbPerSchedule, 2),
    belfryUsPerFiring: belfry.perFiringUs === null ? null : fmt(belfry.perFiringUs, 2),
    belfryFirings: belfry.fired,
    belfryIdleMsPer31s: belfry.idle === null ? null : fmt(belfry.idle.busyMs, 3),
    belfryIdleWakesPer31s: belfry.idle?.wakes ?? null,
  };
  if (croner === null) {
    row.croner = `not run: one croner job per schedule needs ~80 KB of heap each (${fmt((n * 80) / 1024 / 1024, 1)} GB for ${n})`;
  } else {
    Object.assign(row, {
      cronerSetupMs: fmt(croner.setupMs, 1),
      cronerHeapKbPerSchedule: fmt(croner.heapKbPerSchedule, 2),
      cronerUsPerFiring: croner.perFiringUs === null ? null : fmt(croner.perFiringUs, 2),
      cronerFirings: croner.fired,
      cronerIdleMsPer31s: croner.idle === null ? null : fmt(croner.idle.busyMs, 3),
      cronerIdleWakesPer31s: croner.idle?.wakes ?? null,
    });
    row.perFiringRatioCronerOverBelfry =
      row.belfryUsPerFiring && row.cronerUsPerFiring ? fmt(row.cronerUsPerFiring / row.belfryUsPerFiring) : null;
    row.idleRatioCronerOverBelfry =
      belfry.idle && croner.idle ? fmt(croner.idle.busyMs / Math.max(belfry.idle.busyMs, 0.001), 0) : null;
    row.heapRatioCronerOverBelfry = fmt(croner.heapKbPerSchedule / Math.max(belfry.heapKbPerSchedule, 0.001), 1);
  }
  results.scheduler.push(row);
  console.log(`scheduler | ${n} schedules: ${JSON.stringify(row)}`);
}

// ---------------------------------------------------------------- 3. a burst of 1,000 firings due at one instant

// The patched setTimeout above only counts; lateness is measured from the nominal time.
results.burstWork = await measureBurstWork(Scheduler, ManualClock, { rounds: smoke ? 4 : 40 });
for (const row of results.burstWork) console.log(`burst work | ${JSON.stringify(row)}`);
results.burst = await measureBurst(Scheduler, BURST_ROUNDS[smoke ? 'smoke' : 'full']);
for (const row of results.burst) console.log(`burst | ${JSON.stringify(row)}`);

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results written to ${resultsFile}`);
