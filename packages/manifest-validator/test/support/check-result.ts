import type { ValidateManifestResult } from '../../src/index.js';

const TIERS = new Set(['syntax', 'schema', 'semantics', 'set']);
const SEVERITIES = new Set(['error', 'warning']);

/**
 * The promises validateManifest makes for any input: a well-formed result,
 * `ok` exactly when there is no error, and every diagnostic with a path and
 * a 1-based line and column that lie inside the text. Returns the broken
 * promise, or undefined.
 */
export function brokenPromise(text: string, result: ValidateManifestResult): string | undefined {
  const hasError = result.diagnostics.some((d) => d.severity === 'error');
  if (result.ok === hasError) return `ok is ${result.ok} but hasError is ${hasError}`;
  if (result.ok !== (result.manifest !== undefined)) return 'manifest present does not match ok';
  if (!result.ok && result.diagnostics.length === 0) return 'not ok without a diagnostic';
  const lines = text.split('\n');
  for (const d of result.diagnostics) {
    if (!TIERS.has(d.tier) || !SEVERITIES.has(d.severity)) return `bad tier or severity in ${JSON.stringify(d)}`;
    if (typeof d.code !== 'string' || (d.code as string) === '' || typeof d.message !== 'string' || d.message === '') return `bad code or message in ${JSON.stringify(d)}`;
    if (typeof d.path !== 'string') return `no path in ${JSON.stringify(d)}`;
    if (!Number.isInteger(d.line) || d.line < 1 || d.line > lines.length) return `line outside the text in ${JSON.stringify(d)}`;
    const lineLength = (lines[d.line - 1] as string).length;
    if (!Number.isInteger(d.column) || d.column < 1 || d.column > lineLength + 1) return `column outside line ${d.line} in ${JSON.stringify(d)}`;
  }
  return undefined;
}
