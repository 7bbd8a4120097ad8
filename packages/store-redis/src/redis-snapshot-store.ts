import type { FencedSnapshot, FencedSnapshotStore, SnapshotSaveResult, StatefulSnapshot } from '@belfry/plugin-api';
import { assertFence, assertSnapshot, assertSnapshotId, snapshotChecksum, storeBackendError } from '@belfry/internal';
import { DELETE_SNAPSHOT_SCRIPT, SAVE_SNAPSHOT_SCRIPT } from './lua-scripts.js';
import { openRedisConnection } from './open-redis-connection.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** Options of {@link RedisSnapshotStore}: those every Redis store takes. */
export type RedisSnapshotStoreOptions = RedisStoreOptions;

/**
 * Keeps plugin snapshots in Redis, so a node that lost its disk gets its
 * state back from the cluster. Each snapshot is one hash at
 * `<keyPrefix>{snapshots}:snapshot:<id>` (fields `version`, `fence`, `sum`
 * — a SHA-256 checked on every load — and `bytes`, stored as they are), and
 * the ids are a set at `<keyPrefix>{snapshots}:ids`. Saves and deletes are
 * one script each, so the set never disagrees with the hashes; the shared
 * hash tag keeps every key in one slot of a Redis Cluster.
 *
 * `saveFenced` refuses a fence below the stored one (`stale`), in the same
 * script as the write: concurrent writers are ordered by fence, never by
 * arrival or wall clock.
 */
export class RedisSnapshotStore implements FencedSnapshotStore {
  readonly #connection: RedisConnection;
  readonly #base: string;

  constructor(options: RedisSnapshotStoreOptions) {
    const { connection, keyPrefix } = openRedisConnection(options, 'RedisSnapshotStore');
    this.#connection = connection;
    this.#base = `${keyPrefix}{snapshots}:`;
  }

  async save(snapshot: StatefulSnapshot): Promise<void> {
    assertSnapshot(snapshot, 'RedisSnapshotStore.save');
    await this.#write(`RedisSnapshotStore.save(${JSON.stringify(snapshot.id)})`, snapshot, 0, false);
  }

  async saveFenced(snapshot: StatefulSnapshot, fence: number): Promise<SnapshotSaveResult> {
    assertSnapshot(snapshot, 'RedisSnapshotStore.saveFenced');
    assertFence(fence, 'RedisSnapshotStore.saveFenced');
    return this.#write(`RedisSnapshotStore.saveFenced(${JSON.stringify(snapshot.id)})`, snapshot, fence, true);
  }

  async load(id: string): Promise<StatefulSnapshot | null> {
    assertSnapshotId(id, 'RedisSnapshotStore.load');
    return (await this.#read(`RedisSnapshotStore.load(${JSON.stringify(id)})`, id))?.snapshot ?? null;
  }

  loadFenced(id: string): Promise<FencedSnapshot | null> {
    assertSnapshotId(id, 'RedisSnapshotStore.loadFenced');
    return this.#read(`RedisSnapshotStore.loadFenced(${JSON.stringify(id)})`, id);
  }

  async delete(id: string): Promise<void> {
    assertSnapshotId(id, 'RedisSnapshotStore.delete');
    await this.#connection.script(`RedisSnapshotStore.delete(${JSON.stringify(id)})`, DELETE_SNAPSHOT_SCRIPT, [this.#key(id), this.#ids()], [id]);
  }

  async list(): Promise<string[]> {
    const ids = await this.#connection.call('RedisSnapshotStore.list()', (client) => client.smembers(this.#ids()));
    return ids.sort();
  }

  /** Closes the connection made from `url`; a given `client` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  async #write(where: string, snapshot: StatefulSnapshot, fence: number, fenced: boolean): Promise<SnapshotSaveResult> {
    const { id, version } = snapshot;
    // A copy: the command may wait for a connection, and the caller may reuse its array meanwhile.
    const payload = Buffer.from(snapshot.bytes);
    const args = [id, String(version), String(fence), snapshotChecksum(id, version, payload), payload, fenced ? '1' : '0'];
    const reply = await this.#connection.script(where, SAVE_SNAPSHOT_SCRIPT, [this.#key(id), this.#ids()], args);
    return reply === 1 ? 'saved' : 'stale';
  }

  async #read(where: string, id: string): Promise<FencedSnapshot | null> {
    const key = this.#key(id);
    const [version, fence, sum, bytes] = await this.#connection.call(where, (client) => client.hmgetBuffer(key, 'version', 'fence', 'sum', 'bytes'));
    if (version === null && fence === null && sum === null && bytes === null) return null;
    const stored = parseStored(id, version ?? null, fence ?? null, sum ?? null, bytes ?? null);
    if (typeof stored === 'string') {
      throw storeBackendError(where, `key ${JSON.stringify(key)} ${stored}; it was changed outside the store or cut short. Delete it to start that plugin from empty state`);
    }
    return stored;
  }

  #key(id: string): string {
    return `${this.#base}snapshot:${id}`;
  }

  #ids(): string {
    return `${this.#base}ids`;
  }
}

/** The stored record, or what is wrong with it. */
function parseStored(id: string, version: Buffer | null, fence: Buffer | null, sum: Buffer | null, bytes: Buffer | null): FencedSnapshot | string {
  if (version === null || fence === null || sum === null || bytes === null) return 'lacks one of the fields version, fence, sum and bytes';
  const parsedVersion = decimal(version);
  const parsedFence = decimal(fence);
  if (parsedVersion === null || parsedVersion < 1 || parsedVersion > 0xffff_ffff || parsedFence === null) return 'holds a version or fence that is not a valid integer';
  if (!snapshotChecksum(id, parsedVersion, bytes).equals(sum)) return 'does not match its checksum';
  // A plain Uint8Array of its own: never a Buffer view into ioredis' reply.
  return { snapshot: { id, version: parsedVersion, bytes: new Uint8Array(bytes) }, fence: parsedFence };
}

function decimal(value: Buffer): number | null {
  const text = value.toString('latin1');
  return /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}
