// A lock backend written outside the Belfry repository, against the published packages only.
import { randomUUID } from 'node:crypto';
import { assertLockHandle, assertLockKey, assertTtlMs, LockLostError } from '@belfry/plugin-api';

export class MapLocking {
  name = 'map';
  #locks = new Map();
  #fence = 0;

  async tryLock(key, ttlMs) {
    assertLockKey(key, 10_000);
    assertTtlMs(ttlMs);
    const held = this.#locks.get(key);
    if (held && held.expiresAt > Date.now()) return null;
    const lockId = `${randomUUID()}${randomUUID()}`;
    this.#locks.set(key, { lockId, expiresAt: Date.now() + ttlMs });
    return { key, lockId, ttlMs, fence: ++this.#fence };
  }

  async renew(handle) {
    assertLockHandle(handle, 10_000);
    const held = this.#locks.get(handle.key);
    if (!held || held.lockId !== handle.lockId || held.expiresAt <= Date.now()) throw new LockLostError(handle.key);
    held.expiresAt = Date.now() + handle.ttlMs;
  }

  async release(handle) {
    assertLockHandle(handle, 10_000);
    if (this.#locks.get(handle.key)?.lockId === handle.lockId) this.#locks.delete(handle.key);
  }
}
