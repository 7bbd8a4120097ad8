import type { CursorSaveResult, CursorStore, JsonValue, StoredCursor } from '@belfry/plugin-api';
import { assertCursor, assertFence, assertJobId, storeBackendError } from '@belfry/internal';
import { SAVE_CURSOR_SCRIPT } from './lua-scripts.js';
import { openRedisConnection } from './open-redis-connection.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';

/** Options of {@link RedisCursorStore}: those every Redis store takes. */
export type RedisCursorStoreOptions = RedisStoreOptions;

/**
 * Keeps poller cursors in Redis, one hash per job at
 * `<keyPrefix>cursor:<job id>` (fields `fence` and `cursor`), so every node
 * of a cluster sees the same cursor. A save is one script that compares
 * fences and writes in a single atomic step. Each call touches one key, so
 * a Redis Cluster client works too.
 */
export class RedisCursorStore implements CursorStore {
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;

  constructor(options: RedisCursorStoreOptions) {
    const { connection, keyPrefix } = openRedisConnection(options, 'RedisCursorStore');
    this.#connection = connection;
    this.#keyPrefix = `${keyPrefix}cursor:`;
  }

  async load(jobId: string): Promise<StoredCursor | null> {
    assertJobId(jobId, 'RedisCursorStore.load');
    const where = `RedisCursorStore.load(${JSON.stringify(jobId)})`;
    const key = this.#keyPrefix + jobId;
    const [fence, cursor] = await this.#connection.call(where, (client) => client.hmget(key, 'fence', 'cursor'));
    if (fence === null && cursor === null) return null;
    const stored = parseStored(fence ?? null, cursor ?? null);
    if (stored === null) {
      throw storeBackendError(where, `key ${JSON.stringify(key)} does not hold a cursor (a hash with a "fence" integer and a JSON "cursor"); delete it to restart the job from no cursor`);
    }
    return stored;
  }

  async save(jobId: string, cursor: JsonValue, fence: number): Promise<CursorSaveResult> {
    assertJobId(jobId, 'RedisCursorStore.save');
    assertCursor(cursor, 'RedisCursorStore.save');
    assertFence(fence, 'RedisCursorStore.save');
    const where = `RedisCursorStore.save(${JSON.stringify(jobId)})`;
    const reply = await this.#connection.script(where, SAVE_CURSOR_SCRIPT, [this.#keyPrefix + jobId], [String(fence), JSON.stringify(cursor)]);
    return reply === 1 ? 'saved' : 'stale';
  }

  /** Closes the connection made from `url`; a given `client` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}

function parseStored(fence: string | null, cursor: string | null): StoredCursor | null {
  if (fence === null || cursor === null || !/^\d+$/.test(fence) || !Number.isSafeInteger(Number(fence))) return null;
  try {
    return { cursor: JSON.parse(cursor) as JsonValue, fence: Number(fence) };
  } catch {
    return null;
  }
}
