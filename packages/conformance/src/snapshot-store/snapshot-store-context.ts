import type { SnapshotStoreLike } from './snapshot-store-conformance.js';

/** What each snapshot-store rule gets: a fresh, empty store. */
export interface SnapshotStoreContext {
  store: SnapshotStoreLike;
  /** A new instance over the same storage (rules that require `persistent`). */
  reopen(): Promise<SnapshotStoreLike>;
}
