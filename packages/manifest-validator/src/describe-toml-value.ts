/**
 * A parsed TOML value as an author would recognise it in a message:
 * strings quoted and cut at 60 characters, containers by type only.
 */
export function describeTomlValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'a date-time' : value.toISOString();
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'a table';
}
