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
 */
export function lockKeys(prefix: string, key: string): LockKeys {
  let tag: string;
  if (LONE_SURROGATE.test(key)) {
    tag = `~${Buffer.from(key, 'utf16le').toString('hex')}`;
  } else {
    tag = NEEDS_ESCAPE.test(key) ? key.replace(/[%}~]/g, (char) => ESCAPES[char] ?? char) : key;
  }
  return { lock: `${prefix}{${tag}}:lock`, fence: `${prefix}{${tag}}:fence` };
}
