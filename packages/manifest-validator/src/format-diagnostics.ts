import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import type { Diagnostic } from './diagnostic.js';

/** Options of {@link formatDiagnostics}. */
export interface FormatDiagnosticsOptions {
  /** Wrap severities, paths and the caret in ANSI colours. Default `false`. */
  color?: boolean;
  /** Lines of context shown before the offending line. Default `1`. */
  contextLines?: number;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', blue: '\u001b[34m', bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' };

/**
 * Renders diagnostics of one file as code frames: a heading with severity,
 * tier and code, the location, the offending line with its neighbours, and
 * a caret under the column. `text` is the file the diagnostics refer to.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], text: string, options: FormatDiagnosticsOptions = {}): string {
  if (!Array.isArray(diagnostics)) {
    throw new InvalidArgumentError(`formatDiagnostics: diagnostics must be an array of diagnostics (got ${describeValue(diagnostics)})`);
  }
  if (typeof text !== 'string') throw new InvalidArgumentError(`formatDiagnostics: text must be the manifest text as a string (got ${describeValue(text)})`);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`formatDiagnostics: options must be an object (got ${describeValue(options)})`);
  if (options.color !== undefined && typeof options.color !== 'boolean') {
    throw new InvalidArgumentError(`formatDiagnostics: options.color must be a boolean (got ${describeValue(options.color)})`);
  }
  if (options.contextLines !== undefined && (!Number.isSafeInteger(options.contextLines) || options.contextLines < 0)) {
    throw new InvalidArgumentError(`formatDiagnostics: options.contextLines must be a non-negative integer (got ${describeValue(options.contextLines)})`);
  }
  const color = options.color === true;
  const context = options.contextLines ?? 1;
  const paint = (style: keyof typeof ANSI, s: string): string => (color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return diagnostics
    .map((d) => {
      const severity = paint(d.severity === 'error' ? 'red' : 'yellow', d.severity);
      const heading = `${severity}${paint('dim', `[${d.tier}/${d.code}]`)} ${paint('bold', d.message)}`;
      const where = `${d.file ?? '<input>'}:${d.line}:${d.column}${d.path === '' ? '' : ` (${d.path})`}`;
      const first = Math.max(1, d.line - context);
      const gutter = String(d.line).length;
      const frame: string[] = [];
      for (let n = first; n <= d.line && n <= lines.length; n += 1) {
        frame.push(`${paint('blue', `${String(n).padStart(gutter)} |`)} ${visible(lines[n - 1] ?? '')}`);
      }
      const caretLine = visible((lines[d.line - 1] ?? '').slice(0, d.column - 1)).replace(/[^\t]/g, ' ');
      frame.push(`${paint('blue', `${' '.repeat(gutter)} |`)} ${caretLine}${paint(d.severity === 'error' ? 'red' : 'yellow', '^')}`);
      return [heading, `  ${paint('blue', '-->')} ${where}`, ...frame].join('\n');
    })
    .join('\n\n');
}

/** Control characters would move the terminal's cursor and misplace the caret; show them as �. */
function visible(line: string): string {
  const clipped = line.length > 200 ? line.slice(0, 200) : line;
  return clipped.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}
