// Lateness of a burst: 1,000 firings due at one instant (every whole second),
// from the nominal time to the moment each run starts. The Scheduler with
// MemoryLocking (require_global: a lock per firing) and node-local, beside
// croner scheduling the same 1,000 jobs, in the same process and run.
// Then the same burst under a ManualClock, so no timer is involved: CPU time
// from the instant to the first start and to the last, without scheduling noise.
// Run alone with `node bench/burst.mjs`; `pnpm bench` runs it last.
import { Cron } from 'croner';
import { MemoryLocking } from '@belfry/locking-memory';

const JOBS = 1_000;
/** Bursts measured before recording, so both engines are warmed up (JIT, heap) alike. */
const WARMUP = 2;
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

/** Waits until `rounds` whole bursts after the warm-up were recorded, and returns those. */
async function collect(lateness, rounds) {
  while (lateness.length < (WARMUP + rounds) * JOBS) await sleep(50);
  return lateness.slice(WARMUP * JOBS, (WARMUP + rounds) * JOBS);
}

async function startAfterWholeSecond() {
  // Starting ~100 ms into a second means the first burst is a whole one.
  await sleep(1_100 - (Date.now() % 1_000));
}

async function belfry(Scheduler, mode, rounds) {
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
  const measured = await collect(lateness, rounds);
  await scheduler.stop({ graceMs: 0 });
  await locking?.cleanup?.();
  return { ...percentiles(measured), first: meanFirst(measured) };
}

async function croner(rounds) {
  const lateness = [];
  await startAfterWholeSecond();
  const jobs = Array.from({ length: JOBS }, () => new Cron('* * * * * *', () => {
    const at = nowMs();
    // Nominal time is the whole second (lateness here stays far below a second).
    lateness.push(at - Math.floor(at / 1_000) * 1_000);
  }));
  const measured = await collect(lateness, rounds);
  for (const job of jobs) job.stop();
  return { ...percentiles(measured), first: meanFirst(measured) };
}

/** Measures every engine and returns one row per engine, with croner's lateness over Belfry's. */
export async function measureBurst(Scheduler, { rounds }) {
  const cron = await croner(rounds);
  const rows = [];
  for (const mode of ['memory', 'node_local']) {
    const ours = await belfry(Scheduler, mode, rounds);
    rows.push({
      engine: mode === 'memory' ? 'belfry + MemoryLocking (require_global)' : 'belfry node_local',
      jobs: JOBS,
      bursts: rounds,
      p50Ms: fmt(ours.p50),
      p99Ms: fmt(ours.p99),
      maxMs: fmt(ours.max),
      firstStartMs: fmt(ours.first),
      cronerP50Ms: fmt(cron.p50),
      cronerP99Ms: fmt(cron.p99),
      cronerFirstStartMs: fmt(cron.first),
      p50RatioCronerOverBelfry: fmt(cron.p50 / ours.p50),
      p99RatioCronerOverBelfry: fmt(cron.p99 / ours.p99),
    });
  }
  return rows;
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
  const rounds = process.env.BENCH_SMOKE === '1' ? 2 : 20;
  for (const row of await measureBurstWork(Scheduler, ManualClock, { rounds: rounds * 2 })) console.log(`burst work | ${JSON.stringify(row)}`);
  for (const row of await measureBurst(Scheduler, { rounds })) console.log(`burst | ${JSON.stringify(row)}`);
}
