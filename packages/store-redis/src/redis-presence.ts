import type { LiveNode, NodeInfo, Presence } from '@belfry/plugin-api';
import { assertName, assertNodeInfo, assertPresenceTtlMs, storeBackendError } from '@belfry/internal';
import { assertKnownOptions } from './assert-known-options.js';
import { openRedisConnection } from './open-redis-connection.js';
import { LIST_NODES_SCRIPT, PUBLISH_NODE_SCRIPT, WITHDRAW_NODE_SCRIPT } from './presence-scripts.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** Options of {@link RedisPresence}: those every Redis store takes. */
export type RedisPresenceOptions = RedisStoreOptions;

/**
 * Which nodes are alive, in Redis under `<keyPrefix>{presence}:`: a hash of
 * what each node published (`nodes`) and a sorted set of node ids scored by
 * expiry (`expiry`), both on the server's clock. One hash tag puts both keys
 * in one slot, so a Redis Cluster client works; each call is one atomic
 * script. `list()` is O(N log N) in the nodes published.
 */
export class RedisPresence implements Presence {
  readonly #connection: RedisConnection;
  readonly #keys: [nodes: string, expiry: string];

  constructor(options: RedisPresenceOptions) {
    assertKnownOptions(options, [], 'RedisPresence');
    const { connection, keyPrefix } = openRedisConnection(options, 'RedisPresence');
    this.#connection = connection;
    this.#keys = [`${keyPrefix}{presence}:nodes`, `${keyPrefix}{presence}:expiry`];
  }

  async publish(node: NodeInfo, ttlMs: number): Promise<void> {
    assertNodeInfo(node, 'RedisPresence.publish');
    assertPresenceTtlMs(ttlMs, 'RedisPresence.publish');
    const { nodeId, version, startedAt, backend, status } = node;
    const info = JSON.stringify({ nodeId, version, startedAt, backend, status });
    await this.#connection.script(`RedisPresence.publish(${JSON.stringify(nodeId)})`, PUBLISH_NODE_SCRIPT, this.#keys, [nodeId, info, String(ttlMs)]);
  }

  async list(): Promise<LiveNode[]> {
    const reply = await this.#connection.script('RedisPresence.list', LIST_NODES_SCRIPT, this.#keys, []);
    if (!Array.isArray(reply)) throw storeBackendError('RedisPresence.list', `Redis answered ${typeof reply} instead of a list of nodes`);
    // The script reads both keys in one step, so every live id has an entry; one without (keys changed by hand) is skipped.
    const nodes = reply.filter((entry): entry is string => typeof entry === 'string').map((entry) => parseNode(entry));
    return nodes.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  async withdraw(nodeId: string): Promise<void> {
    assertName(nodeId, 'nodeId', 'RedisPresence.withdraw');
    await this.#connection.script(`RedisPresence.withdraw(${JSON.stringify(nodeId)})`, WITHDRAW_NODE_SCRIPT, this.#keys, [nodeId]);
  }

  /** Closes the connection made from `url`; a given `client` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}

/** `<lastSeenAt> <NodeInfo JSON>` as the scripts store it. */
function parseNode(entry: string): LiveNode {
  const space = entry.indexOf(' ');
  try {
    const info = JSON.parse(entry.slice(space + 1)) as NodeInfo;
    const lastSeenAt = Number(entry.slice(0, space));
    if (space < 1 || !Number.isSafeInteger(lastSeenAt)) throw new Error('no time');
    return { ...info, lastSeenAt };
  } catch {
    throw storeBackendError('RedisPresence.list', 'a stored node entry is not "<lastSeenAt> <JSON>"; the keys under {presence} were changed by something else than this store');
  }
}
