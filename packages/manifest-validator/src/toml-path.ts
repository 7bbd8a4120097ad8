const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Writes a key path the way a TOML author reads it: `plugin.poller.kinds[1]`,
 * with keys that are not bare keys quoted (`plugin.metadata."a b"`).
 */
export function tomlPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = BARE_KEY.test(segment) ? segment : JSON.stringify(segment);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}
