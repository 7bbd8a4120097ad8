/**
 * A settings value as an error message may show it. Plain words (a typo of
 * `redis`, a port) are quoted so the reader sees the mistake; anything else
 * is described, because a URL pasted into the wrong key carries its password
 * and a cut or odd one escapes redaction.
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') {
    return /^[\w .+-]{0,40}$/.test(value) ? JSON.stringify(value) : `a string of ${value.length} characters, not shown as it may hold a password`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a table' : typeof value;
}
