import type { RuleResult, SuiteReport } from '../core/report.js';

const labels: Record<RuleResult['status'], string> = { pass: 'pass', fail: 'FAIL', not_claimed: 'n/a ' };

/** One line per rule, then a tally: what the CLI prints for a suite. */
export function formatSuiteReport(report: SuiteReport): string {
  const lines = [`${report.target} — ${report.suite}`];
  for (const result of report.results) {
    const detail =
      result.status === 'pass' ? ` (${result.durationMs} ms)` : result.status === 'fail' ? ` — ${result.reason}` : ` (${result.reason})`;
    lines.push(`  ${labels[result.status]} ${result.id} ${result.sentence}${detail}`);
  }
  lines.push(`  ${report.passed} passed, ${report.failed} failed, ${report.notClaimed} not claimed in ${(report.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
