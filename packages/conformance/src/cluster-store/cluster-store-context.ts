/** What each cluster-store rule gets: a fresh backend, a first instance on it, and the backend's time. */
export interface ClusterStoreContext<Store> {
  /** The first instance on this rule's fresh backend. */
  store: Store;
  /** Another instance on the same backend, as another node would have. */
  peer(): Promise<Store>;
  /** The store's clock now, ms since the epoch. */
  now(): Promise<number>;
  /** Lets `ms` pass on the store's clock. */
  elapse(ms: number): Promise<void>;
  /** The target's short duration (see `ClusterStoreConformance.shortMs`). */
  shortMs: number;
  /**
   * Re-checks `condition` until it holds; fails the rule with `reason` when
   * it still does not hold at half the rule timeout (a hang guard, not a
   * timing check).
   */
  eventually(condition: () => Promise<boolean> | boolean, reason: string): Promise<void>;
}
