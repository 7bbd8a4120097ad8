import { describeValue } from './describe-value.js';

const MAX_DEPTH = 64;

/**
 * Names the first part of `value` that would not survive a JSON round trip
 * unchanged (undefined, a function, a bigint, NaN or ±Infinity, a class
 * instance, a cycle, nesting deeper than 64), or returns null when it is plain
 * JSON. `path` names the value in the message, e.g. `cursor`.
 */
export function jsonProblem(value: unknown, path: string): string | null {
  return walk(value, path, 0, new Set());
}

function walk(value: unknown, path: string, depth: number, seen: Set<object>): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is ${describeValue(value)}, which JSON cannot carry`;
  if (typeof value !== 'object') return `${path} is ${describeValue(value)}, which is not JSON`;
  if (depth >= MAX_DEPTH) return `${path} is nested more than ${MAX_DEPTH} levels deep`;
  if (seen.has(value)) return `${path} refers back to itself (a cycle)`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const problem = walk(value[index], `${path}[${index}]`, depth + 1, seen);
        if (problem !== null) return problem;
      }
      return null;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      return `${path} is an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}, not a plain object`;
    }
    for (const [key, item] of Object.entries(value)) {
      const problem = walk(item, `${path}.${key}`, depth + 1, seen);
      if (problem !== null) return problem;
    }
    return null;
  } finally {
    seen.delete(value);
  }
}
