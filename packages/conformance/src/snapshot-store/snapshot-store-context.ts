import type { FencedSnapshotStoreLike, SnapshotStoreLike } from './snapshot-store-conformance.js';

/** What each snapshot-store rule gets: a fresh, empty store. */
export interface SnapshotStoreContext {
  store: SnapshotStoreLike;
  /** The same store with its fenced methods checked to be there (rules that require `fenced`). */
  fenced: FencedSnapshotStoreLike;
  /** A new instance over the same storage (rules that require `persistent`). */
  reopen(): Promise<SnapshotStoreLike>;
  /** `reopen`, for rules that require both `persistent` and `fenced`. */
  reopenFenced(): Promise<FencedSnapshotStoreLike>;
}
