import type { LockingPlugin } from '@belfry/plugin-api';

/** How the locking suite makes instances of the backend under test. */
export interface LockingFactory {
  /** A fresh instance isolated from every other rule's (its own key prefix, table or store). */
  create(): Promise<LockingPlugin> | LockingPlugin;
  /** Disposes of what `create` (or `createPeer`) returned. */
  destroy?(locking: LockingPlugin): Promise<void> | void;
  /** Another client on the same isolated namespace as `locking`, as a second node would have (needed for `peers`). */
  createPeer?(locking: LockingPlugin): Promise<LockingPlugin> | LockingPlugin;
  /** An instance whose server is down or unreachable (needed for `unreachable`). */
  createUnreachable?(): Promise<LockingPlugin> | LockingPlugin;
}

/**
 * What the caller declares about the backend. A backend with `supports`
 * declares its own capabilities and limits: here the caller may only claim
 * less (e.g. `fences: false`, a shorter `maxKeyLength`), and claiming more
 * is an error. For a backend without `supports`, this is the whole claim.
 * Every claimed capability is tested, the rest reported as not claimed.
 */
export interface LockingCapabilities {
  /** Handles carry fences that strictly increase per key. Default: `supports.fences`, else false. */
  fences?: boolean;
  /** `tryLock` honours `options.fenceKey`. Default: `supports.fenceKey`, else false. */
  fenceKey?: boolean;
  /** Separate clients share locks; needs `factory.createPeer`. Default: `supports.peers` when `createPeer` is given, else false. */
  peers?: boolean;
  /** A dead server makes calls reject with `lock_backend` within `maxCallMs`; needs `factory.createUnreachable`. Default: whether it is given. */
  unreachable?: boolean;
  /** After `cleanup()` every call rejects with `lock_backend` and `cleanup()` may be called again. Default: true for a backend with `supports` and a `cleanup()`. */
  cleanup?: boolean;
  /** Longest key accepted; the rules use keys up to min(this, 2,000). Default: `supports.maxKeyLength`, else 2,000. */
  maxKeyLength?: number;
  /** Every call settles within this many ms. Default: `supports.maxCallMs`, else 2,000; at most 2,000 to pass LOCK-025. */
  maxCallMs?: number;
}

/** Time settings; the defaults suit local servers. */
export interface LockingTiming {
  /** TTL the expiry rules use, in ms. Default 600. */
  ttlMs?: number;
}

/** A lock backend presented to the suite. */
export interface LockingConformance {
  /** Label in reports, e.g. `'redis (quorum of 3)'`. */
  name: string;
  factory: LockingFactory;
  /** Optional for a backend that declares `supports`. */
  capabilities?: LockingCapabilities;
  timing?: LockingTiming;
}
