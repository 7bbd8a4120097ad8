import { LockBackendError, LockLostError, type LockHandle, type LockingPlugin } from '@belfry/plugin-api';
import { MemoryLocking } from '@belfry/locking-memory';
import type { ManualClock } from '../src/index.js';

/**
 * A real MemoryLocking with switches that make it fail the way a remote
 * backend does: unreachable on tryLock, or the lock lost on renew.
 */
export class FlakyLocking implements LockingPlugin {
  readonly name = 'flaky-memory';
  readonly inner: MemoryLocking;
  failTryLock = false;
  failRenew = false;
  /** While set, tryLock answers only once this settles: a backend's round trip, for timing it on the ManualClock. */
  holdAnswers: Promise<void> | undefined;
  readonly calls: { op: 'tryLock' | 'renew' | 'release'; key: string; ttlMs: number; at: number }[] = [];

  constructor(private readonly clock: ManualClock) {
    this.inner = new MemoryLocking({ clock });
  }

  // Not async: the answer comes as soon as MemoryLocking's, with no extra turn of the microtask queue.
  tryLock(key: string, ttlMs: number): Promise<LockHandle | null> {
    this.calls.push({ op: 'tryLock', key, ttlMs, at: this.clock.now() });
    if (this.failTryLock) return Promise.reject(new LockBackendError('backend unreachable (connection refused)'));
    if (this.holdAnswers !== undefined) return this.holdAnswers.then(() => this.inner.tryLock(key, ttlMs));
    return this.inner.tryLock(key, ttlMs);
  }

  async renew(handle: LockHandle): Promise<void> {
    this.calls.push({ op: 'renew', key: handle.key, ttlMs: handle.ttlMs, at: this.clock.now() });
    if (this.failRenew) throw new LockLostError(handle.key);
    return this.inner.renew(handle);
  }

  async release(handle: LockHandle): Promise<void> {
    this.calls.push({ op: 'release', key: handle.key, ttlMs: handle.ttlMs, at: this.clock.now() });
    return this.inner.release(handle);
  }
}
