// Benchmarks for @belfry/manifest-validator beside the alternative a user
// would pick instead: smol-toml's parse + the same zod schema's safeParse,
// which finds schema errors but no line/column, no cross-field semantics,
// no schedule-expression check and no set tier. Both sides run in the same
// process, one after the other, on the same inputs.
//   1. one typical plugin.toml (fixtures/valid/full.toml);
//   2. a set of 1,000 manifests, as a host with many plugins loads them;
//   3. a manifest with twenty-odd problems (fixtures/invalid/many-problems.toml),
//      where positions are worked out;
//   4. every hostile input of bench/hostile-inputs.mjs, validated once in a
//      fresh process (nothing remembered from an earlier run), CPU and wall
//      time: the proof of "no input takes more than a second". For the
//      1,000-zone manifest and its one-zone twin the plain parse is timed
//      the same way beside it.
// BENCH_SMOKE=1 shortens every measurement so the whole run takes seconds.
// BENCH_DIST=<folder> times another build's hostile inputs (an older dist,
// say) against the same inputs, for before/after figures.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { Bench } from 'tinybench';
import { manifestSchema, validateManifest, validateManifestSet } from '../dist/index.js';
import { hostileInputs } from './hostile-inputs.mjs';

const smoke = process.env.BENCH_SMOKE === '1';
const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(here, '..', '..', '..', 'bench', 'results', `manifest-validator${smoke ? '.smoke' : ''}.json`);
const typical = readFileSync(join(here, '..', 'fixtures', 'valid', 'full.toml'), 'utf8');
const broken = readFileSync(join(here, '..', 'fixtures', 'invalid', 'many-problems.toml'), 'utf8');
const fmt = (n, digits = 2) => Number(n.toFixed(digits));

/** The alternative: parse, then check the shape; throws nothing, knows no positions. */
function plainParseAndSafeParse(text) {
  try {
    return manifestSchema.safeParse(parse(text)).success;
  } catch {
    return false;
  }
}

// 1,000 distinct, valid manifests: ids, kinds and backends made unique so the set tier has real work and no conflicts.
const set = Array.from({ length: 1000 }, (_, i) => ({
  file: `plugins/p${i}/plugin.toml`,
  text: typical
    .replace('id = "log_rotator"', `id = "plugin_${i}"`)
    .replace('kinds = ["rss", "http_json"]', `kinds = ["rss_${i}", "json_${i}"]`)
    .replace('backend = "etcd"', `backend = "backend-${i}"`),
}));
if (!validateManifestSet(set).ok || !validateManifest(typical).ok) throw new Error('benchmark inputs must be valid');

const results = { package: '@belfry/manifest-validator', smoke, node: process.version, cases: [] };

async function compare(name, manifestsPerCall, ours, alternative) {
  const bench = new Bench({ time: smoke ? 100 : 3_000, warmupTime: smoke ? 20 : 500, iterations: smoke ? 3 : 20, warmupIterations: smoke ? 1 : 5 });
  bench.add('belfry', ours).add('smol-toml + zod safeParse', alternative);
  await bench.run();
  const perSecond = (taskName) => {
    const task = bench.tasks.find((t) => t.name === taskName);
    const meanMs = task.result.latency?.mean ?? task.result.mean;
    return (1000 / meanMs) * manifestsPerCall;
  };
  const belfry = perSecond('belfry');
  const plain = perSecond('smol-toml + zod safeParse');
  const row = {
    case: name,
    belfryManifestsPerSecond: Math.round(belfry),
    smolTomlZodManifestsPerSecond: Math.round(plain),
    ratioVsSmolTomlZod: fmt(belfry / plain),
  };
  results.cases.push(row);
  console.log(
    `${name}: belfry ${row.belfryManifestsPerSecond.toLocaleString('en')} manifests/s, smol-toml + zod ${row.smolTomlZodManifestsPerSecond.toLocaleString('en')} manifests/s (ratio ×${row.ratioVsSmolTomlZod})`,
  );
}

await compare('typical plugin.toml (validateManifest)', 1, () => validateManifest(typical, { file: 'plugin.toml' }), () => plainParseAndSafeParse(typical));
await compare(
  'set of 1,000 manifests (validateManifestSet)',
  set.length,
  () => validateManifestSet(set),
  () => {
    for (const input of set) plainParseAndSafeParse(input.text);
  },
);
await compare('manifest with 22 problems (validateManifest)', 1, () => validateManifest(broken, { file: 'plugin.toml' }), () => plainParseAndSafeParse(broken));

/** Median and worst of `runs` cold measurements of one input, each in its own process. */
function cold(name, side, runs) {
  const args = [join(here, 'cold-run.mjs'), name, side, ...(process.env.BENCH_DIST ? [process.env.BENCH_DIST] : [])];
  const samples = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' })));
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { cpuMs: fmt(median('cpuMs'), 1), wallMs: fmt(median('wallMs'), 1), worstWallMs: fmt(Math.max(...samples.map((s) => s.wallMs)), 1) };
}

const coldRuns = smoke ? 1 : 5;
results.hostile = { runsPerInput: coldRuns, dist: process.env.BENCH_DIST ?? 'dist', inputs: [] };
for (const [name, { title }] of Object.entries(hostileInputs)) {
  const row = { input: name, title, belfry: cold(name, 'belfry', coldRuns) };
  if (name === 'thousandZones' || name === 'thousandSchedulesOneZone') {
    row.smolTomlZod = cold(name, 'plain', coldRuns);
    row.cpuRatioVsSmolTomlZod = fmt(row.belfry.cpuMs / row.smolTomlZod.cpuMs);
  }
  results.hostile.inputs.push(row);
  const beside = row.smolTomlZod ? ` (smol-toml + zod ${row.smolTomlZod.cpuMs} ms CPU, ×${row.cpuRatioVsSmolTomlZod})` : '';
  console.log(`cold, ${title}: ${row.belfry.cpuMs} ms CPU, ${row.belfry.wallMs} ms wall (worst ${row.belfry.worstWallMs} ms)${beside}`);
}
// CPU time is the input's cost; wall time on a shared machine adds whatever else runs.
const slowest = results.hostile.inputs.reduce((a, b) => (b.belfry.cpuMs > a.belfry.cpuMs ? b : a));
results.hostile.slowest = { input: slowest.input, ...slowest.belfry };
console.log(`slowest hostile input: ${slowest.title}, ${slowest.belfry.cpuMs} ms CPU, ${slowest.belfry.wallMs} ms wall (medians of ${coldRuns}); the promise is under 1,000 ms`);

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results written to ${resultsFile}`);
