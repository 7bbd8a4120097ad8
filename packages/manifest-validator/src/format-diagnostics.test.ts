import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostic.js';
import { formatDiagnostics } from './format-diagnostics.js';

const diagnostic: Diagnostic = {
  tier: 'schema',
  severity: 'error',
  code: 'unknown_key',
  message: 'Unknown key "kind" in [plugin.poller]. Did you mean "kinds"?',
  path: 'plugin.poller.kind',
  file: 'plugin.toml',
  line: 3,
  column: 3,
};
const text = '[plugin.poller]\nkinds = ["rss"]\n  kind = 1\n';

describe('formatDiagnostics', () => {
  it('renders a heading, the location and the line with a caret under the column', () => {
    expect(formatDiagnostics([diagnostic], text)).toBe(
      [
        'error[schema/unknown_key] Unknown key "kind" in [plugin.poller]. Did you mean "kinds"?',
        '  --> plugin.toml:3:3 (plugin.poller.kind)',
        '2 | kinds = ["rss"]',
        '3 |   kind = 1',
        '  |   ^',
      ].join('\n'),
    );
  });

  it('shows as many lines of context as asked', () => {
    const out = formatDiagnostics([diagnostic], text, { contextLines: 0 });
    expect(out).not.toContain('kinds = ["rss"]');
  });

  it('keeps tabs before the caret so it lines up under tab-indented text', () => {
    const out = formatDiagnostics([{ ...diagnostic, line: 1, column: 3 }], '\t\tkind = 1\n', { contextLines: 0 });
    expect(out.endsWith('  | \t\t^')).toBe(true);
  });

  it('colours only when asked', () => {
    expect(formatDiagnostics([diagnostic], text)).not.toContain('\u001b[');
    expect(formatDiagnostics([diagnostic], text, { color: true })).toContain('\u001b[31merror\u001b[0m');
  });

  it('marks a warning as such and names an unnamed input <input>', () => {
    const { file: _file, ...unnamed } = diagnostic;
    const out = formatDiagnostics([{ ...unnamed, severity: 'warning' }], text);
    expect(out.startsWith('warning[schema/unknown_key]')).toBe(true);
    expect(out).toContain('--> <input>:3:3');
  });
});

describe('formatDiagnostics arguments', () => {
  it.each([
    ['diagnostics that are not an array', [null, text], 'diagnostics must be an array of diagnostics (got null)'],
    ['text that is not a string', [[diagnostic], undefined], 'text must be the manifest text as a string (got undefined)'],
    ['options that are not an object', [[diagnostic], text, null], 'options must be an object (got null)'],
    ['a contextLines that is not a count', [[diagnostic], text, { contextLines: Number.NaN }], 'options.contextLines must be a non-negative integer (got NaN)'],
    ['a color that is not a boolean', [[diagnostic], text, { color: 'yes' }], 'options.color must be a boolean (got "yes" (string of length 3))'],
  ])('throws invalid_argument for %s, naming it', (_, args, message) => {
    expect(() => (formatDiagnostics as (...a: unknown[]) => string)(...args)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: `formatDiagnostics: ${message}` }),
    );
  });
});
