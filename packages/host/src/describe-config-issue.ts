import type { z } from 'zod';
import { didYouMean } from '@belfry/internal';
import { knownConfigKeys } from './known-config-keys.js';
import { shownValue } from './shown-value.js';

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
  return value;
}

/** One schema problem as a sentence naming the key, the value found, and the fix. */
export function describeConfigIssue(issue: z.core.$ZodIssue, raw: unknown, schema: z.ZodType): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const table = path.join('.');
    const known = knownConfigKeys(schema, issue.path);
    return issue.keys
      .map((key) => {
        const suggestion = didYouMean(key, known);
        const where = table === '' ? `key "${key}"` : `key "${key}" in [${table}]`;
        const hint = suggestion === undefined ? `known keys: ${known.join(', ')}` : `did you mean "${suggestion}"?`;
        return `unknown ${where}; ${hint}`;
      })
      .join('; ');
  }
  const key = path.length > 1 ? `[${path.slice(0, -1).join('.')}] ${path.at(-1)}` : (path[0] ?? '(top level)');
  const found = valueAt(raw, issue.path);
  const shown = found === undefined ? '' : ` (got ${shownValue(found)})`;
  return `${key}: ${issue.message}${shown}`;
}
