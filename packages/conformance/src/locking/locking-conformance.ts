import type { LockingPlugin } from '@belfry/plugin-api';

/** How the locking suite makes instances of the backend under test. */
export interface LockingFactory {
  /** A fresh instance isolated from every other rule's (its own key prefix, table or store). */
  create(): Promise<LockingPlugin> | LockingPlugin;
  /** Disposes of what `create` (or `createPeer`) returned. */
  destroy?(locking: LockingPlugin): Promise<void> | void;
  /** Another client on the same isolated namespace as `locking`, as a second node would have. */
  createPeer?(locking: LockingPlugin): Promise<LockingPlugin> | LockingPlugin;
  /** An instance whose server is down or unreachable. */
  createUnreachable?(): Promise<LockingPlugin> | LockingPlugin;
}

/** What a backend claims; every claimed capability is tested, the rest reported as not claimed. */
export interface LockingCapabilities {
  /** Handles carry fences that strictly increase per key. */
  fences?: boolean;
  /** `createPeer` is given, and clients share locks. */
  peers?: boolean;
  /** `createUnreachable` is given, and a dead server makes calls reject with `lock_backend` in bounded time. */
  unreachable?: boolean;
  /** The backend's documented key-length limit; at least 2,000. Default 2,000. */
  maxKeyLength?: number;
}

/** Time settings; the defaults suit local servers. */
export interface LockingTiming {
  /** TTL the expiry rules use, in ms. Default 600. */
  ttlMs?: number;
  /** How soon an unreachable backend must reject, in ms. Default 2,500 (the contract's 2 s plus slack). */
  unreachableBoundMs?: number;
}

/** A lock backend presented to the suite. */
export interface LockingConformance {
  /** Label in reports, e.g. `'redis (quorum of 3)'`. */
  name: string;
  factory: LockingFactory;
  capabilities: LockingCapabilities;
  timing?: LockingTiming;
}
