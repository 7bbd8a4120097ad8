import type { Diagnostic } from './diagnostic.js';

const TIER_ORDER = { syntax: 0, schema: 1, semantics: 2, set: 3 } as const;

/** Orders diagnostics as a reader meets them: by file, line, column, then tier. Returns a new array. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.line - b.line ||
      a.column - b.column ||
      TIER_ORDER[a.tier] - TIER_ORDER[b.tier],
  );
}
