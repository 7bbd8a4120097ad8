import type { JsonValue } from '@belfry/plugin-api';
import { redactSecrets } from '@belfry/internal';

/** Longest cursor text status shows; a cursor can be a whole page of ids. */
const MAX_CURSOR_CHARS = 200;

/** A cursor as status shows it: JSON text, cut to a readable length, any password redacted. */
export function shownCursor(cursor: JsonValue): { text: string; truncated: boolean } {
  const text = redactSecrets(JSON.stringify(cursor));
  return text.length <= MAX_CURSOR_CHARS ? { text, truncated: false } : { text: `${text.slice(0, MAX_CURSOR_CHARS)}…`, truncated: true };
}
