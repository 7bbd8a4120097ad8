/** TOML's name for the type of a parsed value. */
export function tomlTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (value instanceof Date) return 'date-time';
  if (Array.isArray(value)) return 'array';
  return 'table';
}
