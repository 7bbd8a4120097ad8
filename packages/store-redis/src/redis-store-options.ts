import type { Cluster, Redis } from 'ioredis';

/** An ioredis client: a single server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisStoreClient = Redis | Cluster;

/**
 * Options every Redis store takes. Give exactly one of `client` or `url`;
 * pass the client your lock backend already uses to share its connection.
 */
export interface RedisStoreOptions {
  /**
   * An ioredis client you own (a `Redis` or a `Cluster`). The store sends
   * commands only while it is ready and never closes it: `close()` leaves
   * it open.
   */
  client?: RedisStoreClient;
  /**
   * `redis://[user:password@]host:port[/db]` or `rediss://…`. The store
   * creates a client with bounded timeouts and no offline queue, and
   * `close()` closes it.
   */
  url?: string;
  /**
   * Prepended to every key the store writes; each kind of store adds its
   * own part after it (the cursor store: `cursor:<job id>`), so stores can
   * share one prefix. Must not contain `{` or `}`. Default `'belfry:'`.
   */
  keyPrefix?: string;
  /**
   * Longest time, in ms, one call may take, including waiting for a
   * connection still being set up; past it the call rejects with
   * `store_backend`. Clients made from `url` also use it as their connect
   * timeout. Default `1000`.
   */
  timeoutMs?: number;
}
