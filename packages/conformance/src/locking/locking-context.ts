import type { LockingPlugin } from '@belfry/plugin-api';

/** What each locking rule gets: a fresh backend instance and the suite's settings. */
export interface LockingContext {
  locking: LockingPlugin;
  /** Another client on the same namespace (rules that require `peers`). */
  peer(): Promise<LockingPlugin>;
  /** An instance whose server is unreachable (rules that require `unreachable`). */
  unreachable(): Promise<LockingPlugin>;
  ttlMs: number;
  /** Time to wait for a lock to have certainly expired, in ms. */
  expiryWaitMs: number;
  /** The bound every call must settle within: the backend's `supports.maxCallMs`, or what the caller declares. */
  maxCallMs: number;
  maxKeyLength: number;
}
