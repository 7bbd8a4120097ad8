import { InvalidArgumentError, type LockHandle } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';

/**
 * Shared argument checks for lock backends, so every backend rejects the
 * same bad input with the same `invalid_argument` message.
 */
export function assertLockKey(key: unknown, maxLength: number): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > maxLength) {
    throw new InvalidArgumentError(
      `Lock key must be a non-empty string of at most ${maxLength} characters (got ${describeValue(key)})`,
    );
  }
}

/** TTLs are whole milliseconds: positive, finite, integer. */
export function assertTtlMs(ttlMs: unknown): asserts ttlMs is number {
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > Number.MAX_SAFE_INTEGER) {
    throw new InvalidArgumentError(`Lock TTL must be a positive integer number of milliseconds (got ${describeValue(ttlMs)})`);
  }
}

/** A handle must carry the key, token and TTL it was minted with. */
export function assertLockHandle(handle: unknown, maxKeyLength: number): asserts handle is LockHandle {
  if (typeof handle !== 'object' || handle === null) {
    throw new InvalidArgumentError(`Lock handle must be the object tryLock returned (got ${describeValue(handle)})`);
  }
  const { key, lockId, ttlMs } = handle as Record<string, unknown>;
  assertLockKey(key, maxKeyLength);
  if (typeof lockId !== 'string' || lockId.length === 0) {
    throw new InvalidArgumentError(`Lock handle for ${JSON.stringify(key)} has no lockId (got ${describeValue(lockId)})`);
  }
  assertTtlMs(ttlMs);
}
