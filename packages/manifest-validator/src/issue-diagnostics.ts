import type * as z from 'zod';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { describeTomlValue } from './describe-toml-value.js';
import { didYouMean } from '@belfry/internal';
import { knownKeys } from './known-keys.js';
import { locate } from './locate.js';
import { ownValueAt } from './own-value-at.js';
import type { PathLocations } from './parse-located-toml.js';
import { tomlPath } from './toml-path.js';
import { tomlTypeName } from './toml-type-name.js';

type Draft = Omit<Diagnostic, 'file'>;

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'a table',
  record: 'a table',
};

/**
 * Turns one zod issue into diagnostics that point into the TOML text.
 * Type, presence, unknown-key and enum failures are schema-tier; the checks
 * chained on a field are semantics-tier.
 */
export function issueDiagnostics(
  issue: z.core.$ZodIssue,
  document: unknown,
  locations: PathLocations,
): Draft[] {
  const segments = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
  const path = tomlPath(segments);
  const value = ownValueAt(document, segments);
  const make = (tier: Draft['tier'], code: DiagnosticCode, message: string, at: 'key' | 'value', where = segments): Draft => {
    const position = locate(locations, where, at);
    return { tier, severity: 'error', code, message, path: tomlPath(where), line: position.line, column: position.column };
  };

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = knownKeys(segments);
      return issue.keys.map((key) => {
        const keyPath = [...segments, key];
        const suggestion = didYouMean(key, allowed);
        const hint = suggestion === undefined ? ` Allowed keys: ${allowed.join(', ')}.` : ` Did you mean "${suggestion}"?`;
        return make('schema', 'unknown_key', `Unknown key ${JSON.stringify(key)} in ${tableName(segments)}.${hint}`, 'key', keyPath);
      });
    }
    case 'invalid_type': {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (value === undefined) {
        const key = segments[segments.length - 1];
        const parent = segments.slice(0, -1);
        const message =
          parent.length === 0
            ? `The manifest has no [${String(key)}] table.`
            : `${tableName(parent)} is missing the required key ${JSON.stringify(String(key))} (${expected}).`;
        return [make('schema', 'missing_key', message, 'value')];
      }
      return [make('schema', 'wrong_type', `${path} must be ${expected}, not ${received(value)}.`, 'value')];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      if (value !== undefined && issue.values.every((v) => typeof v !== typeof value)) {
        const message = `${path} must be one of ${options.join(', ')}, not ${received(value)}.`;
        return [make('schema', 'wrong_type', message, 'value')];
      }
      const suggestion = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined;
      const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
      return [make('schema', 'invalid_value', `${path} = ${describeTomlValue(value)} is not one of ${options.join(', ')}.${hint}`, 'value')];
    }
    case 'too_small':
    case 'too_big': {
      const emptied = issue.code === 'too_small' && Number(issue.minimum) === 1 && (issue.origin === 'string' || issue.origin === 'array');
      const code: DiagnosticCode = emptied ? 'empty_value' : 'out_of_range';
      return [make('semantics', code, `${path} ${issue.message} (got ${describeTomlValue(value)}).`, 'value')];
    }
    case 'invalid_format':
      return [make('semantics', 'pattern_mismatch', `${path} ${issue.message} (got ${describeTomlValue(value)}).`, 'value')];
    case 'custom': {
      const code = (issue.params?.['code'] as DiagnosticCode | undefined) ?? 'invalid_value';
      if (code === 'wrong_type') return [make('schema', code, `${path} ${issue.message}, not ${received(value)}.`, 'value')];
      // A check across keys of one table: its message is whole; a missing key is located like any other (at the table).
      if (issue.params?.['whole'] === true) {
        if (code === 'missing_key') return [make('schema', code, `${tableName(segments.slice(0, -1))} ${issue.message}`, 'value')];
        return [make('schema', code, `${path}: ${issue.message}`, 'key')];
      }
      return [make('semantics', code, `${path} ${issue.message} (got ${describeTomlValue(value)}).`, 'value')];
    }
    default:
      return [make('schema', 'wrong_type', `${path === '' ? 'The manifest' : path}: ${issue.message}.`, 'value')];
  }
}

/** `an integer (42)`, `a string ("rss")`, `a table`: the type an author wrote, with the value when it is short. */
function received(value: unknown): string {
  const type = tomlTypeName(value);
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  const shown = Array.isArray(value) || type === 'table' ? '' : ` (${describeTomlValue(value)})`;
  return `${article} ${type}${shown}`;
}

/** `[plugin.poller]`, `[[plugin.schedules]] #2` or `the top level`, as the author wrote the table. */
function tableName(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return 'the top level';
  const last = segments[segments.length - 1];
  if (typeof last === 'number') return `[[${tomlPath(segments.slice(0, -1))}]] #${last + 1} (${tomlPath(segments)})`;
  return `[${tomlPath(segments)}]`;
}
