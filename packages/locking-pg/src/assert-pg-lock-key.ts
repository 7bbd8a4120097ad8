import { InvalidArgumentError } from '@belfry/plugin-api';
import { assertLockKey, describeValue } from '@belfry/internal';

/** Longest key accepted, in UTF-16 code units (the prefix not counted). Keys are hashed for indexing, so any length up to this fits. */
export const PG_LOCK_MAX_KEY_LENGTH = 4096;

/**
 * The shared key check plus what PostgreSQL text cannot store: NUL
 * characters, and lone surrogates (they would be replaced by U+FFFD on the
 * way to UTF-8, silently merging distinct keys).
 */
export function assertPgLockKey(key: unknown): asserts key is string {
  assertLockKey(key, PG_LOCK_MAX_KEY_LENGTH);
  if (key.includes('\u0000')) {
    throw new InvalidArgumentError(
      `Lock key must not contain the NUL character \\u0000, which PostgreSQL text cannot hold (got ${describeValue(key)})`,
    );
  }
  if (!(key as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new InvalidArgumentError(
      `Lock key must be well-formed Unicode without lone surrogates, which UTF-8 cannot encode (got ${describeValue(key)})`,
    );
  }
}
