import { describeValue } from './describe-value.js';
import { InvalidArgumentError, type TryLockOptions } from '@belfry/plugin-api';

/** Checks `tryLock`'s third argument and returns its fence scope, if any. */
export function assertTryLockOptions(options: unknown, maxKeyLength: number): string | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`tryLock options must be an object like { fenceKey: 'reports' } or undefined (got ${describeValue(options)})`);
  }
  const { fenceKey } = options as TryLockOptions;
  if (fenceKey === undefined) return undefined;
  if (typeof fenceKey !== 'string' || fenceKey.length === 0) {
    throw new InvalidArgumentError(`tryLock option "fenceKey" must be a non-empty string naming the fence scope, or be left out to scope fences to the key (got ${describeValue(fenceKey)})`);
  }
  if (fenceKey.length > maxKeyLength) {
    throw new InvalidArgumentError(`tryLock option "fenceKey" is ${fenceKey.length} characters long; the limit is ${maxKeyLength}. Fix: use a shorter fence scope`);
  }
  return fenceKey;
}
