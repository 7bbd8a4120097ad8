import type { CursorStore } from '@belfry/plugin-api';

/** How the cursor-store suite makes instances of the store under test. */
export interface CursorStoreFactory {
  /** A fresh, empty store isolated from every other rule's (its own folder, prefix or table). */
  create(): Promise<CursorStore> | CursorStore;
  /** Disposes of what `create` (or `reopen`) returned. */
  destroy?(store: CursorStore): Promise<void> | void;
  /** A new instance over the same storage as `store`, as after a restart. */
  reopen?(store: CursorStore): Promise<CursorStore> | CursorStore;
}

/** What a store claims; every claimed capability is tested, the rest reported as not claimed. */
export interface CursorStoreCapabilities {
  /** `reopen` is given, and a new instance sees the cursors and fences the previous one saved. */
  persistent?: boolean;
}

/** A cursor store presented to the suite. */
export interface CursorStoreConformance {
  /** Label in reports, e.g. `'file (tmp dir)'`. */
  name: string;
  factory: CursorStoreFactory;
  capabilities: CursorStoreCapabilities;
  /** Longest one rule may take, in ms. Default 10,000. */
  ruleTimeoutMs?: number;
}
