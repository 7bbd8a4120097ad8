import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue, didYouMean } from '@belfry/internal';

/**
 * Throws InvalidArgumentError when `value` has a key not in `known`, so a
 * misspelled capability (`fence` for `fences`) is an error instead of a
 * rule silently reported as not claimed.
 */
export function assertKnownKeys(value: unknown, known: readonly string[], where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${where} must be an object (got ${describeValue(value)})`);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = didYouMean(key, known);
    const hint = suggestion === undefined ? `known keys: ${known.join(', ')}` : `did you mean "${suggestion}"?`;
    throw new InvalidArgumentError(`${where} has an unknown key "${key}": ${hint}`);
  }
}
