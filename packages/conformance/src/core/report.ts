/** Outcome of one rule against one implementation. */
export interface RuleResult {
  id: string;
  sentence: string;
  status: 'pass' | 'fail' | 'not_claimed';
  /** Why it failed, or which capabilities were not claimed. */
  reason?: string;
  /** Wall time the rule took, in ms (0 when not claimed). */
  durationMs: number;
}

/** One suite run against one implementation. Plain JSON. */
export interface SuiteReport {
  suite: string;
  target: string;
  passed: number;
  failed: number;
  notClaimed: number;
  durationMs: number;
  results: RuleResult[];
}

/** What `belfry-conformance` writes to `conformance-report.json`. */
export interface ConformanceReport {
  createdAt: string;
  passed: number;
  failed: number;
  notClaimed: number;
  suites: SuiteReport[];
}
