import type { PoolClient } from 'pg';

/** An advisory lock this instance holds, and the connection it lives on. */
export interface PinnedLock {
  key: string;
  lockId: string;
  ttlMs: number;
  /** The advisory lock id, a signed 64-bit integer in decimal. */
  lockKey: string;
  client: PoolClient;
  /** When the TTL runs out on the injected clock, unless renewed. */
  expiresAt: number;
  cancelTimer: () => void;
  /** Bumped each time the TTL timer is armed, so a timer that a renew replaced does nothing. */
  timerGeneration: number;
  /** Removes the listeners put on the pinned connection. */
  detach: () => void;
  /** Why the lock is gone, once it is: released, TTL ran out, or the connection dropped. */
  lostReason?: string;
  /** Serialises renew/release/expiry on the one connection. */
  busy: Promise<unknown>;
}

/** Runs `work` after every call already queued on `pinned`: one statement at a time on its connection. */
export function serialised<R>(pinned: PinnedLock, work: () => Promise<R>): Promise<R> {
  const next = pinned.busy.then(work, work);
  pinned.busy = next.catch(() => undefined);
  return next;
}

/** pg_locks shows a bigint advisory key as two oids: high 32 bits in classid, low in objid. */
export function splitLockKey(lockKey: string): { high: string; low: string } {
  const unsigned = BigInt.asUintN(64, BigInt(lockKey));
  return { high: String(unsigned >> 32n), low: String(unsigned & 0xffffffffn) };
}
