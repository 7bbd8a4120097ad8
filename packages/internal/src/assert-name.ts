import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';

/** Longest plugin name, schedule id, node id or other name the cluster stores accept. */
export const MAX_NAME_LENGTH = 256;

// Control characters would garble logs and dashboards, and are never part of a real name.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Throws InvalidArgumentError unless `value` is a 1–256 character string without control characters; `label` names it, `where` the caller. */
export function assertName(value: unknown, label: string, where: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH || CONTROL_CHARACTER.test(value)) {
    throw new InvalidArgumentError(`${where}: ${label} must be a string of 1 to ${MAX_NAME_LENGTH} characters without control characters, got ${describeValue(value)}`);
  }
}

/** Throws InvalidArgumentError unless `value` is an integer from `min` to Number.MAX_SAFE_INTEGER. */
export function assertInteger(value: unknown, label: string, where: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError(`${where}: ${label} must be an integer ≥ ${min}, got ${describeValue(value)}`);
  }
}

/** Throws InvalidArgumentError unless `value` is a plain object (not null, not an array). */
export function assertObject(value: unknown, label: string, where: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${where}: ${label} must be an object, got ${describeValue(value)}`);
  }
}

/** Throws InvalidArgumentError when `value` has an own key outside `known`. */
export function assertOnlyKeys(value: Record<string, unknown>, known: readonly string[], label: string, where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new InvalidArgumentError(`${where}: ${label} has an unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
}
