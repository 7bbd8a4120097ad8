/** The two Redis keys behind one lock key. */
export interface LockKeys {
  /** Holds the current holder's token, with the lock's TTL. */
  lock: string;
  /** Counter the fences come from; kept while the key is in use (see `fenceRetentionMs`). */
  fence: string;
}

/** Characters escaped inside the tag: the escape itself, the tag's end, and the hex marker. */
const NEEDS_ESCAPE = /[%}~]/;
const ESCAPES: Record<string, string> = { '%': '%25', '}': '%7D', '~': '%7E' };

/** Unpaired UTF-16 surrogates, which UTF-8 cannot carry and would turn into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Maps a caller's key to its Redis keys: `<prefix>{<key>}:lock` and
 * `<prefix>{<key>}:fence`. The key is the hash tag, so Redis Cluster puts
 * both in one slot, and it stays readable in `redis-cli`. Inside the tag
 * `%`, `}` (which would end the tag early) and `~` are percent-escaped. A
 * key with unpaired surrogates is spelled as UTF-16 hex behind a `~`,
 * which no escaped key can start with, so the mapping stays one-to-one and
 * two such keys never collapse into one.
 *
 * With a fence scope the keys are `<prefix>{<fenceKey>}:lock:<key>` and
 * `<prefix>{<fenceKey>}:fence`: the scope is the hash tag, so every key
 * of the scope shares a slot with its one counter. Without a scope the
 * counter is the key's own, as before (the scope is the key).
 */
export function lockKeys(prefix: string, key: string, fenceKey?: string): LockKeys {
  const tag = escapeTag(key);
  if (fenceKey === undefined) return { lock: `${prefix}{${tag}}:lock`, fence: `${prefix}{${tag}}:fence` };
  // A scope's locks live under the scope's hash tag, so each shares a Cluster slot with the one counter.
  const scope = escapeTag(fenceKey);
  return { lock: `${prefix}{${scope}}:lock:${tag}`, fence: `${prefix}{${scope}}:fence` };
}

function escapeTag(key: string): string {
  if (LONE_SURROGATE.test(key)) return `~${Buffer.from(key, 'utf16le').toString('hex')}`;
  return NEEDS_ESCAPE.test(key) ? key.replace(/[%}~]/g, (char) => ESCAPES[char] ?? char) : key;
}
