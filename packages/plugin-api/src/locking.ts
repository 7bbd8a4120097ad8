/** Proof of holding a lock. Plain data: it may cross a process boundary as JSON. */
export interface LockHandle {
  /** The key the lock was taken on. */
  key: string;
  /** Random token (at least 128 bits) minted at acquisition; opaque to callers. */
  lockId: string;
  /** Lifetime in ms that the lock was taken with; `renew` re-applies it. */
  ttlMs: number;
  /** Fencing token, strictly increasing per key across successive holders, when the backend provides one. */
  fence?: number;
}

/**
 * Distributed mutual exclusion keyed by a string.
 *
 * Contention is not failure: `tryLock` resolves `null` when another holder
 * has the key, and rejects with `LockBackendError` only when the backend is
 * broken or unreachable, within a bounded time (default ≤ 2 s).
 */
export interface LockingPlugin {
  /** Backend name, e.g. `'memory'`, `'redis'`, `'pg'`. */
  readonly name: string;
  /**
   * Takes the lock on `key` for `ttlMs` ms (a positive integer). Resolves
   * the handle, or `null` when someone else holds the key.
   */
  tryLock(key: string, ttlMs: number): Promise<LockHandle | null>;
  /**
   * Resets the lock's lifetime to `handle.ttlMs`. Rejects with
   * `LockLostError` when the caller no longer holds it (expired or taken
   * over; an expired lock is never revived), or `LockBackendError`.
   */
  renew(handle: LockHandle): Promise<void>;
  /**
   * Frees the lock if `handle` still holds it. A stale or foreign handle is
   * a silent no-op and never frees a newer holder's lock.
   */
  release(handle: LockHandle): Promise<void>;
  /** Closes connections and timers the backend owns. */
  cleanup?(): Promise<void>;
}
