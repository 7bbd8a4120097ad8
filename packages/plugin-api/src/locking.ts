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

/** Options of one `tryLock` call. */
export interface TryLockOptions {
  /**
   * Fence scope: keys that share a `fenceKey` share one fence counter, so
   * fences strictly increase across holders of any key of the scope.
   * Default: the key itself. Honoured when `supports.fenceKey` is true.
   */
  fenceKey?: string;
}

/**
 * What a backend declares about itself, so callers and the conformance
 * suite read its limits instead of repeating them.
 */
export interface LockingSupports {
  /** Handles carry a `fence`. */
  readonly fences: boolean;
  /** `tryLock` honours `options.fenceKey`. */
  readonly fenceKey: boolean;
  /** Separate instances pointed at one server share locks (a handle from one renews and releases on another). */
  readonly peers: boolean;
  /** Longest key accepted, in characters. */
  readonly maxKeyLength: number;
  /** Every call settles within this many ms, even when the server is gone (≤ 2000 with the default settings). */
  readonly maxCallMs: number;
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
  /** What this backend supports and its limits. */
  readonly supports?: LockingSupports;
  /**
   * Takes the lock on `key` for `ttlMs` ms (a positive integer). Resolves
   * the handle, or `null` when someone else holds the key.
   */
  tryLock(key: string, ttlMs: number, options?: TryLockOptions): Promise<LockHandle | null>;
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
