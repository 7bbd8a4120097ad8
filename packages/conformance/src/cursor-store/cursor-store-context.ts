import type { CursorStore } from '@belfry/plugin-api';

/** What each cursor-store rule gets: a fresh, empty store. */
export interface CursorStoreContext {
  store: CursorStore;
  /** A new instance over the same storage (rules that require `persistent`). */
  reopen(): Promise<CursorStore>;
}
