/** What a node is doing: starting up, running schedules, or draining before it stops. */
export const NODE_STATUSES = ['starting', 'running', 'stopping'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** What a node publishes about itself. Plain JSON. */
export interface NodeInfo {
  /** The node's id (`BELFRY_NODE_ID`), 1–256 characters. */
  nodeId: string;
  /** The version the node runs (the host's or the application's), 1–256 characters. */
  version: string;
  /** When the node's process started, ms since the epoch. */
  startedAt: number;
  /** The lock backend the node uses, e.g. `'memory'`, `'redis'`, `'pg'`. */
  backend: string;
  status: NodeStatus;
}

/** A live node as {@link Presence.list} reports it. */
export interface LiveNode extends NodeInfo {
  /** When the node last published, by the store's clock (the server's, for a server store), ms since the epoch. */
  lastSeenAt: number;
}

/**
 * Which nodes of the cluster are alive. Each node publishes itself
 * periodically with a TTL well above its publishing interval; a node that
 * stops publishing (crashed, partitioned) drops out when the TTL runs out.
 *
 * - Expiry is measured on the store's clock — the server's, for Redis or
 *   PostgreSQL — so skewed node clocks do not make a live node look dead.
 * - `publish` creates or refreshes the node's entry, replaces what it said
 *   before, and restarts its TTL.
 * - Bad arguments reject with `invalid_argument` naming the value and where.
 */
export interface Presence {
  /** Announces `node` as live for `ttlMs` (a positive integer) from now. */
  publish(node: NodeInfo, ttlMs: number): Promise<void>;
  /** Every node whose TTL has not run out, sorted by `nodeId` (by UTF-16 code units, as JavaScript's default sort; PostgreSQL's `COLLATE "C"` agrees for names within the Basic Multilingual Plane). */
  list(): Promise<LiveNode[]>;
  /** Removes the node at once (a clean shutdown). Withdrawing an unknown node is not an error. */
  withdraw(nodeId: string): Promise<void>;
}
