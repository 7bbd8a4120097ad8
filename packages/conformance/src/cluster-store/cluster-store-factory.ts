/**
 * How the cluster-store suites (run history, presence, control) make
 * instances of the store under test. Each rule gets a fresh backend; rules
 * about what another node sees ask for a peer on the same backend.
 */
export interface ClusterStoreFactory<Store, Options = undefined> {
  /** A fresh, empty backend isolated from every other rule's (its own key prefix, table or clock) and a first instance on it. */
  create(options: Options): Promise<Store> | Store;
  /** Another instance on the same backend as `store`, as another node of the cluster would open it. */
  peer(store: Store): Promise<Store> | Store;
  /** The store's clock now, in ms since the epoch. Default `Date.now()` (a server on a host whose clock agrees). */
  now?(store: Store): Promise<number> | number;
  /** Lets `ms` pass on the store's clock: advance the injected clock, or (default) wait that long in real time. */
  elapse?(store: Store, ms: number): Promise<void>;
  /** Disposes of what `create` or `peer` returned (each instance once, peers first). */
  destroy?(store: Store): Promise<void> | void;
}

/** What every cluster-store suite is given. */
export interface ClusterStoreConformance<Store, Options = undefined> {
  /** Label in reports, e.g. `'redis'`. */
  name: string;
  factory: ClusterStoreFactory<Store, Options>;
  /**
   * A short duration the store honours promptly, in ms: the TTLs and ages
   * the time rules use are small multiples of it, and the suite elapses
   * that much. At least 20. With a manual clock any value works (default
   * 1,000); a server store waiting in real time wants ~100–300.
   */
  shortMs?: number;
  /** Longest one rule may take, in ms (waits for an expected state give up at half of it). Default 10,000. */
  ruleTimeoutMs?: number;
}
