import type { LockHandle, LockingPlugin, TryLockOptions } from '@belfry/plugin-api';
import { check } from '../core/check.js';

/** Takes `key` or fails the rule, saying at which step. */
export async function mustLock(locking: LockingPlugin, key: string, ttlMs: number, step: string, options?: TryLockOptions): Promise<LockHandle> {
  const handle = await (options === undefined ? locking.tryLock(key, ttlMs) : locking.tryLock(key, ttlMs, options));
  check(handle !== null, `${step}: tryLock(${JSON.stringify(key).slice(0, 60)}) resolved null on a key that should be free`);
  return handle;
}

/** Fails the rule unless `key` is currently held by someone. */
export async function mustBeHeld(locking: LockingPlugin, key: string, ttlMs: number, step: string): Promise<void> {
  const intruder = await locking.tryLock(key, ttlMs);
  if (intruder !== null) await locking.release(intruder);
  check(intruder === null, `${step}: tryLock(${JSON.stringify(key).slice(0, 60)}) succeeded although the key should still be held`);
}

/** A lockId nobody was given: same shape as a real token, different bits. */
export function forgedLockId(real: string): string {
  const replacement = real.startsWith('f') ? 'e' : 'f';
  return replacement + real.slice(1);
}
