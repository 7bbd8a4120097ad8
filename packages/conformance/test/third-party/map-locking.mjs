// A lock backend written outside the Belfry repository, against the published packages only.
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, LockLostError } from '@belfry/plugin-api';

const show = (value) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function assertLockKey(key) {
  if (typeof key !== 'string' || key.length === 0 || key.length > 10_000) {
    throw new InvalidArgumentError(`Lock key must be a non-empty string of at most 10000 characters (got ${show(key)})`);
  }
}

function assertTtlMs(ttlMs) {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new InvalidArgumentError(`Lock TTL must be a positive integer (got ${show(ttlMs)})`);
}

function assertLockHandle(handle) {
  if (typeof handle !== 'object' || handle === null) throw new InvalidArgumentError(`Lock handle must be the object tryLock returned (got ${show(handle)})`);
  assertLockKey(handle.key);
  if (typeof handle.lockId !== 'string' || handle.lockId === '') throw new InvalidArgumentError(`Lock handle has no lockId (got ${show(handle.lockId)})`);
  assertTtlMs(handle.ttlMs);
}

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
