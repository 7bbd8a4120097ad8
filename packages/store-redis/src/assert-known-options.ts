import { InvalidArgumentError } from '@belfry/plugin-api';

/** The options every Redis store takes. */
const COMMON_OPTIONS = ['client', 'url', 'keyPrefix', 'timeoutMs'];

/**
 * Throws InvalidArgumentError when an options object has a key that neither
 * every Redis store nor this one (`own`) knows, so a misspelt retention or
 * interval is refused rather than silently ignored. Anything that is not an
 * object is left to `openRedisConnection`, which says what is expected.
 */
export function assertKnownOptions(options: unknown, own: readonly string[], store: string): void {
  if (typeof options !== 'object' || options === null) return;
  const known = [...COMMON_OPTIONS, ...own];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidArgumentError(`${store} has no option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
}
