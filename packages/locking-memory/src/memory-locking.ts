import {
  InvalidArgumentError,
  LockBackendError,
  LockLostError,
  systemClock,
  type Clock,
  type LockHandle,
  type LockingPlugin,
  type LockingSupports,
  type TryLockOptions,
} from '@belfry/plugin-api';
import { assertLockHandle, assertLockKey, assertTryLockOptions, assertTtlMs } from '@belfry/internal';
import { freshLockId } from './fresh-lock-id.js';

/** Longest key accepted, in UTF-16 code units. */
export const MEMORY_LOCK_MAX_KEY_LENGTH = 4096;

export interface MemoryLockingOptions {
  /** Time source for TTL expiry. Default: `systemClock`. Pass a manual clock in tests. */
  clock?: Clock;
  /** Backend name reported as `locking.name`. Default `'memory'`. */
  name?: string;
}

interface HeldLock {
  lockId: string;
  expiresAt: number;
}

/**
 * Locks held in this process's memory: the embedded default for a single
 * node, and the reference the conformance suite is written against.
 * State is not shared between processes or between instances.
 */
export class MemoryLocking implements LockingPlugin {
  readonly name: string;
  /**
   * One fence counter serves every key, so fences strictly increase within
   * any fence scope. Calls never wait on anything: 1 s bounds even a
   * stalled event loop's delay generously.
   */
  readonly supports: LockingSupports = { fences: true, fenceKey: true, peers: false, maxKeyLength: MEMORY_LOCK_MAX_KEY_LENGTH, maxCallMs: 1000 };
  readonly #clock: Clock;
  readonly #held = new Map<string, HeldLock>();

  /** One counter for all keys: strictly increasing per key without remembering every key ever locked. */
  #lastFence = 0;
  #sizeAtLastSweep = 0;

  /**
   * Keys this instance stores: held locks plus expired ones not yet swept.
   * Expired keys are swept as new ones arrive, so this stays near the number held.
   */
  get storedKeys(): number {
    return this.#held.size;
  }
  #closed = false;

  constructor(options: MemoryLockingOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('MemoryLocking options must be an object');
    }
    const clock = options.clock ?? systemClock;
    if (typeof clock.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidArgumentError('MemoryLocking option "clock" must have now() and setTimer()');
    }
    this.#clock = clock;
    this.name = options.name ?? 'memory';
  }

  async tryLock(key: string, ttlMs: number, options?: TryLockOptions): Promise<LockHandle | null> {
    assertLockKey(key, MEMORY_LOCK_MAX_KEY_LENGTH);
    assertTtlMs(ttlMs);
    // One counter serves every key here, so any scope holds; a bad scope is still refused, as other backends do.
    assertTryLockOptions(options, MEMORY_LOCK_MAX_KEY_LENGTH);
    this.#assertOpen('tryLock');
    const now = this.#clock.now();
    const current = this.#held.get(key);
    if (current !== undefined && current.expiresAt > now) return null;
    this.#sweepExpired(now);
    const lockId = freshLockId();
    this.#held.set(key, { lockId, expiresAt: now + ttlMs });
    this.#lastFence += 1;
    return { key, lockId, ttlMs, fence: this.#lastFence };
  }

  async renew(handle: LockHandle): Promise<void> {
    assertLockHandle(handle, MEMORY_LOCK_MAX_KEY_LENGTH);
    this.#assertOpen('renew');
    const now = this.#clock.now();
    const current = this.#held.get(handle.key);
    // An expired entry is never extended, even if no one has taken the key since.
    if (current === undefined || current.lockId !== handle.lockId || current.expiresAt <= now) {
      throw new LockLostError(handle.key);
    }
    current.expiresAt = now + handle.ttlMs;
  }

  async release(handle: LockHandle): Promise<void> {
    assertLockHandle(handle, MEMORY_LOCK_MAX_KEY_LENGTH);
    this.#assertOpen('release');
    const current = this.#held.get(handle.key);
    if (current !== undefined && current.lockId === handle.lockId) this.#held.delete(handle.key);
  }

  /** Drops every lock; afterwards every call rejects with LockBackendError. Safe to call again. */
  async cleanup(): Promise<void> {
    this.#closed = true;
    this.#held.clear();
  }

  #assertOpen(call: string): void {
    if (this.#closed) throw new LockBackendError(`MemoryLocking "${this.name}" was closed by cleanup(); ${call} needs a new instance`);
  }

  /** Drops expired entries once the map has doubled since the last sweep: amortised O(1) per lock. */
  #sweepExpired(now: number): void {
    if (this.#held.size < Math.max(64, this.#sizeAtLastSweep * 2)) return;
    for (const [key, lock] of this.#held) {
      if (lock.expiresAt <= now) this.#held.delete(key);
    }
    this.#sizeAtLastSweep = this.#held.size;
  }
}
