#!/usr/bin/env node
// The whole test suite: packaging checks, type checks, every package's tests,
// the conformance suites against every shipped backend, and the benchmarks in
// smoke mode. Every step runs even if an earlier one failed; the last line is
// the tally of tests and conformance rules, "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDirs = ['packages', 'apps']
  .filter((group) => existsSync(join(root, group)))
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)));

const steps = [
  ['build', ['pnpm', 'turbo', 'run', 'build', '--output-logs=errors-only']],
  ['typecheck', ['pnpm', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  ['lint (publint, attw, sherif, knip)', ['pnpm', 'lint']],
  ['tests', ['pnpm', 'turbo', 'run', 'test', '--concurrency=1']],
  ['conformance', ['node', 'scripts/conformance.mjs', '--report', 'conformance-report.json']],
  ['benchmarks (smoke)', ['pnpm', 'turbo', 'run', 'bench', '--concurrency=1'], { BENCH_SMOKE: '1' }],
];

for (const dir of packageDirs) rmSync(join(dir, 'test-results'), { recursive: true, force: true });
rmSync(join(root, 'conformance-report.json'), { force: true });

const failedSteps = [];
const started = Date.now();
for (const [name, [command, ...args], env = {}] of steps) {
  console.log(`\n=== ${name} ===`);
  const stepStart = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(0);
  if (run.status !== 0) failedSteps.push(name);
  console.log(`=== ${name}: ${run.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s ===`);
}

let passed = 0;
let failed = 0;
for (const dir of packageDirs) {
  const file = join(dir, 'test-results/vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
const conformanceFile = join(root, 'conformance-report.json');
if (existsSync(conformanceFile)) {
  const report = JSON.parse(readFileSync(conformanceFile, 'utf8'));
  passed += report.passed;
  failed += report.failed;
}
if (passed === 0) failedSteps.push('no test ran');
failed += failedSteps.length;

console.log(`\nTotal time ${((Date.now() - started) / 60000).toFixed(1)} min.`);
if (failedSteps.length > 0) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);
