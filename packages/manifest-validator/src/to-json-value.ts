import type { JsonValue } from '@belfry/plugin-api';

/**
 * Turns a parsed TOML value into plain JSON data, so a manifest can cross a
 * process boundary unchanged: TOML date-times become ISO 8601 strings and
 * `inf` / `nan` become the strings `"Infinity"` / `"NaN"`. Keys are defined
 * as own properties, so a key named `__proto__` stays a key.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object' && value !== null) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, field] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: toJsonValue(field), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return null;
}
