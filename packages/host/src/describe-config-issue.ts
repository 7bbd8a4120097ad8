import type { z } from 'zod';
import { didYouMean } from '@belfry/internal';
import { knownConfigKeys } from './known-config-keys.js';
import { shownValue } from './shown-value.js';

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
  return value;
}

/**
 * A key path as the reader finds it in the file: `[locking] redis_url` in a
 * table, `pollers[2].kind` inside a list of tables.
 */
function keyPath(path: readonly PropertyKey[]): string {
  if (path.some((part) => typeof part === 'number')) {
    return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join('');
  }
  const names = path.map(String);
  return names.length > 1 ? `[${names.slice(0, -1).join('.')}] ${names.at(-1)}` : (names[0] ?? '(top level)');
}

/** One schema problem as a sentence naming the key, the value found, and the fix. */
export function describeConfigIssue(issue: z.core.$ZodIssue, raw: unknown, schema: z.ZodType): string {
  if (issue.code === 'unrecognized_keys') {
    const inList = issue.path.some((part) => typeof part === 'number');
    const table = inList ? keyPath(issue.path) : issue.path.map(String).join('.');
    const known = knownConfigKeys(schema, issue.path);
    return issue.keys
      .map((key) => {
        const suggestion = didYouMean(key, known);
        const where = table === '' ? `key "${key}"` : inList ? `key "${key}" in ${table}` : `key "${key}" in [${table}]`;
        const hint = suggestion === undefined ? `known keys: ${known.join(', ')}` : `did you mean "${suggestion}"?`;
        return `unknown ${where}; ${hint}`;
      })
      .join('; ');
  }
  const key = keyPath(issue.path);
  const found = valueAt(raw, issue.path);
  // A custom check's message already says what it found.
  const shown = found === undefined || issue.code === 'custom' ? '' : ` (got ${shownValue(found)})`;
  return `${key}: ${issue.message}${shown}`;
}
