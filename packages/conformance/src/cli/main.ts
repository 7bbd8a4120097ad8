import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConformanceReport, SuiteReport } from '../core/report.js';
import { runTarget } from '../run-target.js';
import { formatSuiteReport } from './format-report.js';
import { loadTargets } from './load-targets.js';

const usage = `Usage: belfry-conformance <module>... [--report <file>]

Runs the Belfry conformance suites against the targets each module's
default export describes, prints one line per rule, and writes a JSON
report (default ./conformance-report.json).
Exit status: 0 all claimed rules pass, 1 a rule failed, 2 bad usage.`;

/** The CLI, minus process handling: returns the exit code. */
export async function main(argv: string[], io: { cwd: string; out: (line: string) => void; err: (line: string) => void }): Promise<number> {
  const modules: string[] = [];
  let reportPath = 'conformance-report.json';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      io.out(usage);
      return 0;
    }
    if (arg === '--report') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) {
        io.err('belfry-conformance: --report needs a file name');
        return 2;
      }
      reportPath = value;
      i += 1;
    } else if (arg.startsWith('-')) {
      io.err(`belfry-conformance: unknown option ${arg}\n\n${usage}`);
      return 2;
    } else {
      modules.push(arg);
    }
  }
  if (modules.length === 0) {
    io.err(`belfry-conformance: name at least one module\n\n${usage}`);
    return 2;
  }

  const suites: SuiteReport[] = [];
  for (const modulePath of modules) {
    let targets;
    try {
      targets = await loadTargets(modulePath, io.cwd);
    } catch (error) {
      io.err(`belfry-conformance: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    for (const target of targets) {
      try {
        for (const report of await runTarget(target)) {
          io.out(formatSuiteReport(report));
          suites.push(report);
        }
      } catch (error) {
        io.err(`belfry-conformance: target "${target.name}" could not run: ${error instanceof Error ? error.message : String(error)}`);
        return 2;
      }
    }
  }

  const report: ConformanceReport = {
    createdAt: new Date().toISOString(),
    passed: suites.reduce((sum, s) => sum + s.passed, 0),
    failed: suites.reduce((sum, s) => sum + s.failed, 0),
    notClaimed: suites.reduce((sum, s) => sum + s.notClaimed, 0),
    suites,
  };
  const written = resolve(io.cwd, reportPath);
  writeFileSync(written, `${JSON.stringify(report, null, 2)}\n`);
  io.out(`\n${report.passed} passed, ${report.failed} failed, ${report.notClaimed} not claimed — report: ${written}`);
  if (report.failed > 0) {
    const broken = suites.flatMap((s) => s.results.filter((r) => r.status === 'fail').map((r) => `${s.target}: ${r.id}`));
    io.err(`belfry-conformance: broken rules: ${broken.join(', ')}`);
  }
  return report.failed > 0 ? 1 : 0;
}
