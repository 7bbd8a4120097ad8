import { assertName, assertNodeInfo, assertPresenceTtlMs, quoteIdentifier } from '@belfry/internal';
import type { LiveNode, NodeInfo, Presence } from '@belfry/plugin-api';
import { openPgConnection } from './open-pg-connection.js';
import type { PgConnection } from './pg-connection.js';
import type { PgStoreOptions } from './pg-store-options.js';
import { presenceStatements, type PresenceStatements } from './presence-statements.js';

/** Options of {@link PgPresence}. */
export interface PgPresenceOptions extends PgStoreOptions {
  /** Table of live nodes, one row per node; created by `setup()`. A plain identifier: letters, digits, `_`, at most 63 characters. Default `'belfry_nodes'`. */
  table?: string;
}

/**
 * Keeps which nodes are alive in PostgreSQL: one row per node, with the
 * time its TTL runs out computed on the server's clock at each publish.
 * `list()` returns only rows whose time has not come. Run `setup()` once
 * (it is idempotent) before the first call.
 */
export class PgPresence implements Presence {
  readonly #connection: PgConnection;
  readonly #statements: PresenceStatements;

  constructor(options: PgPresenceOptions) {
    const table = quoteIdentifier(options?.table ?? 'belfry_nodes', 'PgPresence option "table"');
    this.#connection = openPgConnection(options, 'PgPresence');
    this.#statements = presenceStatements(table);
  }

  /** Creates the table if it is missing; safe to run from every node at every start. */
  async setup(): Promise<void> {
    await this.#connection.query('PgPresence.setup()', { text: this.#statements.setup }, Math.max(this.#connection.timeoutMs, 10_000));
  }

  async publish(node: NodeInfo, ttlMs: number): Promise<void> {
    assertNodeInfo(node, 'PgPresence.publish');
    assertPresenceTtlMs(ttlMs, 'PgPresence.publish');
    const { nodeId, version, startedAt, backend, status } = node;
    await this.#connection.query(`PgPresence.publish(${JSON.stringify(nodeId)})`, this.#statements.publish({ nodeId, version, startedAt, backend, status }, ttlMs));
  }

  async list(): Promise<LiveNode[]> {
    const rows = await this.#connection.query<{ node: string; seen: string }>('PgPresence.list()', this.#statements.list);
    const nodes = rows.map((row): LiveNode => ({ ...(JSON.parse(row.node) as NodeInfo), lastSeenAt: Number(row.seen) }));
    // Sorted here, by UTF-16 code units as the contract says, whatever the database's collation.
    return nodes.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  async withdraw(nodeId: string): Promise<void> {
    assertName(nodeId, 'nodeId', 'PgPresence.withdraw');
    await this.#connection.query(`PgPresence.withdraw(${JSON.stringify(nodeId)})`, this.#statements.withdraw(nodeId));
  }

  /** Ends the pool made from `connectionString`; a given `pool` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}
