// Lateness of a burst: 1,000 firings due at one instant (every whole second),
// from the nominal time to the moment each run starts. The Scheduler with
// MemoryLocking (require_global: a lock per firing) and node-local, beside
// croner scheduling the same 1,000 jobs, in the same process and run: several
// rounds, each running all three; ratios per round, median and min–max.
// Then the same burst under a ManualClock, so no timer is involved: CPU time
// from the instant to the first start and to the last, without scheduling noise.
// Run alone with `node bench/burst.mjs`; `pnpm bench` runs it last.
import { Cron } from 'croner';
import { MemoryLocking } from '@belfry/locking-memory';

const JOBS = 1_000;
/** Bursts measured before recording, so every engine is warmed up (JIT, heap) alike. */
const WARMUP = 2;
/** Rounds of the side-by-side measurement, and bursts recorded per engine in each round. */
export const BURST_ROUNDS = { full: { rounds: 7, bursts: 4 }, smoke: { rounds: 2, bursts: 1 } };
const silent = { info() {}, warn() {}, error() {} };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = () => performance.timeOrigin + performance.now();
const fmt = (n, digits = 2) => Number(n.toFixed(digits));

function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** Mean over bursts of the lateness of each burst's first start. */
function meanFirst(values) {
  let sum = 0;
  for (let i = 0; i < values.length; i += JOBS) sum += Math.min(...values.slice(i, i + JOBS));
  return sum / (values.length / JOBS);
}

/** Waits until `bursts` whole bursts after the warm-up were recorded, and returns those. */
async function collect(lateness, bursts) {
  while (lateness.length < (WARMUP + bursts) * JOBS) await sleep(50);
  return lateness.slice(WARMUP * JOBS, (WARMUP + bursts) * JOBS);
}

async function startAfterWholeSecond() {
  // Starting ~100 ms into a second means the first burst is a whole one.
  await sleep(1_100 - (Date.now() % 1_000));
}

async function belfry(Scheduler, mode, bursts) {
  const lateness = [];
  const locking = mode === 'memory' ? new MemoryLocking() : undefined;
  const scheduler = new Scheduler({ logger: silent, nodeId: 'bench', ...(locking ? { locking } : {}) });
  const hint = mode === 'memory' ? 'require_global' : 'node_local';
  for (let p = 0; p < JOBS / 100; p += 1) {
    const schedules = Array.from({ length: 100 }, (_, s) => ({ id: `s${s}`, cron: '* * * * * *', locking: hint, missedRunPolicy: 'skip' }));
    await scheduler.register({
      name: `p${p}`,
      schedules: () => schedules,
      run(ctx) {
        lateness.push(nowMs() - ctx.scheduledAt);
      },
    });
  }
  await startAfterWholeSecond();
  await scheduler.start();
  const measured = await collect(lateness, bursts);
  await scheduler.stop({ graceMs: 0 });
  await locking?.cleanup?.();
  return { ...percentiles(measured), first: meanFirst(measured) };
}

async function croner(bursts) {
  const lateness = [];
  await startAfterWholeSecond();
  const jobs = Array.from({ length: JOBS }, () => new Cron('* * * * * *', () => {
    const at = nowMs();
    // Nominal time is the whole second (lateness here stays far below a second).
    lateness.push(at - Math.floor(at / 1_000) * 1_000);
  }));
  const measured = await collect(lateness, bursts);
  for (const job of jobs) job.stop();
  return { ...percentiles(measured), first: meanFirst(measured) };
}

const ENGINES = {
  croner: (Scheduler, bursts) => croner(bursts),
  memory: (Scheduler, bursts) => belfry(Scheduler, 'memory', bursts),
  node_local: (Scheduler, bursts) => belfry(Scheduler, 'node_local', bursts),
};
const LABELS = { memory: 'belfry + MemoryLocking (require_global)', node_local: 'belfry node_local' };

/** Median and min–max of a list of numbers. */
function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: fmt(median), min: fmt(sorted[0]), max: fmt(sorted[sorted.length - 1]) };
}

/**
 * Measures the engines side by side: each round runs croner and both
 * Belfry modes one after another (in a rotating order, so none always goes
 * first), `bursts` bursts each; ratios are taken within a round. Returns one
 * row per Belfry mode: figures and ratios as median and min–max over rounds.
 */
export async function measureBurst(Scheduler, { rounds, bursts }) {
  const order = Object.keys(ENGINES);
  const perRound = [];
  for (let round = 0; round < rounds; round += 1) {
    const results = {};
    for (let i = 0; i < order.length; i += 1) {
      const engine = order[(round + i) % order.length];
      results[engine] = await ENGINES[engine](Scheduler, bursts);
    }
    perRound.push(results);
  }
  return ['memory', 'node_local'].map((mode) => {
    const of = (pick) => spread(perRound.map(pick));
    return {
      engine: LABELS[mode],
      jobs: JOBS,
      rounds,
      burstsPerRound: bursts,
      p50Ms: of((r) => r[mode].p50),
      p99Ms: of((r) => r[mode].p99),
      maxMs: of((r) => r[mode].max),
      firstStartMs: of((r) => r[mode].first),
      cronerP50Ms: of((r) => r.croner.p50),
      cronerP99Ms: of((r) => r.croner.p99),
      cronerFirstStartMs: of((r) => r.croner.first),
      p50BelfryOverCroner: of((r) => r[mode].p50 / r.croner.p50),
      p99BelfryOverCroner: of((r) => r[mode].p99 / r.croner.p99),
    };
  });
}

/** Median ms, over bursts after the warm-up, from advancing a ManualClock to the burst's instant to its first and last start. */
export async function measureBurstWork(Scheduler, ManualClock, { rounds }) {
  const rows = [];
  for (const mode of ['memory', 'node_local']) {
    const clock = new ManualClock(Date.parse('2026-05-01T00:00:00Z'));
    const locking = mode === 'memory' ? new MemoryLocking({ clock }) : undefined;
    const scheduler = new Scheduler({ clock, logger: silent, ...(locking ? { locking } : {}) });
    let firstAt = null;
    let lastAt = 0;
    for (let p = 0; p < JOBS / 100; p += 1) {
      const schedules = Array.from({ length: 100 }, (_, s) => ({ id: `s${s}`, cron: '* * * * * *', locking: mode === 'memory' ? 'require_global' : 'node_local', missedRunPolicy: 'skip' }));
      await scheduler.register({ name: `p${p}`, schedules: () => schedules, run() {
        lastAt = performance.now();
        firstAt ??= lastAt;
      } });
    }
    await scheduler.start();
    const first = [];
    const all = [];
    for (let round = 0; round < WARMUP + rounds; round += 1) {
      await clock.advance(999);
      firstAt = null;
      const t0 = performance.now();
      await clock.advance(1);
      if (round >= WARMUP) {
        first.push(firstAt - t0);
        all.push(lastAt - t0);
      }
    }
    await scheduler.stop({ graceMs: 0 });
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    rows.push({ engine: mode === 'memory' ? 'belfry + MemoryLocking (require_global)' : 'belfry node_local', jobs: JOBS, firstStartCpuMs: fmt(median(first)), lastStartCpuMs: fmt(median(all)) });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // BENCH_DIST=dist-old (a build of another commit) compares before and after.
  const { Scheduler, ManualClock } = await import(`../${process.env.BENCH_DIST ?? 'dist'}/index.js`);
  const smoke = process.env.BENCH_SMOKE === '1';
  for (const row of await measureBurstWork(Scheduler, ManualClock, { rounds: smoke ? 4 : 40 })) console.log(`burst work | ${JSON.stringify(row)}`);
  for (const row of await measureBurst(Scheduler, BURST_ROUNDS[smoke ? 'smoke' : 'full'])) console.log(`burst | ${JSON.stringify(row)}`);
}
