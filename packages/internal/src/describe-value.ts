import { redactSecrets } from './redact-secrets.js';

/** Renders any value for an error message: short, unambiguous, never throws. */
export function describeValue(value: unknown): string {
  try {
    return describe(value);
  } catch {
    // A revoked proxy throws even from Array.isArray.
    return 'an unreadable value';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    // Redact before cutting: a cut could end before the '@' that marks a password.
    const safe = redactSecrets(value);
    const shown = safe.length > 80 ? `${safe.slice(0, 77)}...` : safe;
    return `${JSON.stringify(shown)} (string of length ${value.length})`;
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? 'an object' : String(value);
}
