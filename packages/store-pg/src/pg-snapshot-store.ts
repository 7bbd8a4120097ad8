import type { FencedSnapshot, FencedSnapshotStore, SnapshotSaveResult, StatefulSnapshot } from '@belfry/plugin-api';
import { assertFence, assertSnapshot, assertSnapshotId, quoteIdentifier, snapshotChecksum, storeBackendError } from '@belfry/internal';
import { openPgConnection } from './open-pg-connection.js';
import type { PgConnection } from './pg-connection.js';
import type { PgStoreOptions } from './pg-store-options.js';
import { snapshotStatements, type SnapshotStatements } from './snapshot-statements.js';

/** Options of {@link PgSnapshotStore}. */
export interface PgSnapshotStoreOptions extends PgStoreOptions {
  /** Table of snapshots, one row per id; created by `setup()`. A plain identifier: letters, digits, `_`, at most 63 characters. Default `'belfry_snapshots'`. */
  table?: string;
}

interface SnapshotRow {
  version: string;
  fence: string;
  checksum: string;
  bytes: string;
}

/**
 * Keeps plugin snapshots in PostgreSQL, one row per id (`version`, `fence`,
 * a SHA-256 `checksum` checked on every load, and the `bytes`), so a node
 * that lost its disk gets its state back from the cluster. `saveFenced` is
 * one `INSERT … ON CONFLICT DO UPDATE … WHERE fence <= …`: a fence below the
 * stored one is refused (`stale`) atomically, never decided by wall clock.
 * Run `setup()` once (it is idempotent) before the first call.
 */
export class PgSnapshotStore implements FencedSnapshotStore {
  readonly #connection: PgConnection;
  readonly #statements: SnapshotStatements;

  constructor(options: PgSnapshotStoreOptions) {
    const table = quoteIdentifier(options?.table ?? 'belfry_snapshots', 'PgSnapshotStore option "table"');
    this.#connection = openPgConnection(options, 'PgSnapshotStore');
    this.#statements = snapshotStatements(table);
  }

  /** Creates the table if it is missing; safe to run from every node at every start. */
  async setup(): Promise<void> {
    await this.#connection.query('PgSnapshotStore.setup()', { text: this.#statements.setup }, Math.max(this.#connection.timeoutMs, 10_000));
  }

  async save(snapshot: StatefulSnapshot): Promise<void> {
    assertSnapshot(snapshot, 'PgSnapshotStore.save');
    await this.#write(`PgSnapshotStore.save(${JSON.stringify(snapshot.id)})`, snapshot, 0, false);
  }

  async saveFenced(snapshot: StatefulSnapshot, fence: number): Promise<SnapshotSaveResult> {
    assertSnapshot(snapshot, 'PgSnapshotStore.saveFenced');
    assertFence(fence, 'PgSnapshotStore.saveFenced');
    return this.#write(`PgSnapshotStore.saveFenced(${JSON.stringify(snapshot.id)})`, snapshot, fence, true);
  }

  async load(id: string): Promise<StatefulSnapshot | null> {
    assertSnapshotId(id, 'PgSnapshotStore.load');
    return (await this.#read(`PgSnapshotStore.load(${JSON.stringify(id)})`, id))?.snapshot ?? null;
  }

  async loadFenced(id: string): Promise<FencedSnapshot | null> {
    assertSnapshotId(id, 'PgSnapshotStore.loadFenced');
    return this.#read(`PgSnapshotStore.loadFenced(${JSON.stringify(id)})`, id);
  }

  async delete(id: string): Promise<void> {
    assertSnapshotId(id, 'PgSnapshotStore.delete');
    await this.#connection.query(`PgSnapshotStore.delete(${JSON.stringify(id)})`, this.#statements.delete(id));
  }

  async list(): Promise<string[]> {
    const rows = await this.#connection.query<{ id: string }>('PgSnapshotStore.list()', this.#statements.list);
    return rows.map((row) => row.id).sort();
  }

  /** Ends the pool made from `connectionString`; a given `pool` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  async #write(where: string, snapshot: StatefulSnapshot, fence: number, fenced: boolean): Promise<SnapshotSaveResult> {
    const { id, version } = snapshot;
    // A copy: the statement may wait for a connection, and the caller may reuse its array meanwhile.
    const bytes = Buffer.from(snapshot.bytes);
    const rows = await this.#connection.query(where, this.#statements.save(id, version, fence, snapshotChecksum(id, version, bytes), bytes, fenced));
    return rows.length === 1 ? 'saved' : 'stale';
  }

  async #read(where: string, id: string): Promise<FencedSnapshot | null> {
    const rows = await this.#connection.query<SnapshotRow>(where, this.#statements.load(id));
    const row = rows[0];
    if (row === undefined) return null;
    const version = Number(row.version);
    const fence = Number(row.fence);
    const bytes = Buffer.from(row.bytes, 'base64');
    if (!Number.isSafeInteger(fence) || !snapshotChecksum(id, version, bytes).equals(Buffer.from(row.checksum, 'base64'))) {
      throw storeBackendError(
        where,
        `the row of ${JSON.stringify(id)} does not match its checksum (or its fence is beyond Number.MAX_SAFE_INTEGER); it was changed outside the store. Delete the row to start that plugin from empty state`,
      );
    }
    // A plain Uint8Array of its own, not a Buffer from the pool of small buffers.
    return { snapshot: { id, version, bytes: new Uint8Array(bytes) }, fence };
  }
}
