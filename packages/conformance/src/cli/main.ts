import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConformanceReport, SuiteReport } from '../core/report.js';
import { pollerHarness } from '../poller/poller-harness.js';
import { runTarget } from '../run-target.js';
import type { ConformanceTarget } from '../target.js';
import { formatSuiteReport } from './format-report.js';
import { loadTargets } from './load-targets.js';

const usage = `Usage: belfry-conformance [<module>...] [--poller <plugin folder>]... [--report <file>]

Runs the Belfry conformance suites against the targets each module's
default export describes, and the poller suite against each plugin folder
given with --poller (its plugin.toml has a [plugin.poller] section); prints
one line per rule and writes a JSON report (default ./conformance-report.json).
Exit status: 0 all claimed rules pass, 1 a rule failed, 2 bad usage.`;

/** The CLI, minus process handling: returns the exit code. */
export async function main(argv: string[], io: { cwd: string; out: (line: string) => void; err: (line: string) => void }): Promise<number> {
  const modules: string[] = [];
  const pollerFolders: string[] = [];
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
    } else if (arg === '--poller') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) {
        io.err('belfry-conformance: --poller needs a plugin folder');
        return 2;
      }
      pollerFolders.push(value);
      i += 1;
    } else if (arg.startsWith('-')) {
      io.err(`belfry-conformance: unknown option ${arg}\n\n${usage}`);
      return 2;
    } else {
      modules.push(arg);
    }
  }
  if (modules.length === 0 && pollerFolders.length === 0) {
    io.err(`belfry-conformance: name at least one module or --poller folder\n\n${usage}`);
    return 2;
  }

  const suites: SuiteReport[] = [];
  const sources: Array<() => Promise<ConformanceTarget[]>> = [
    ...modules.map((modulePath) => () => loadTargets(modulePath, io.cwd)),
    ...pollerFolders.map((folder) => async () => [pollerTarget(resolve(io.cwd, folder))]),
  ];
  for (const source of sources) {
    let targets;
    try {
      targets = await source();
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

/** The target `--poller <folder>` runs: the poller suite with the default sample ticks; reading the manifest now fails as bad usage. */
function pollerTarget(folder: string): ConformanceTarget {
  const target = { name: folder, poller: { folder } };
  pollerHarness({ ...target.poller, name: target.name });
  return target;
}
