import type { CursorSaveResult, CursorStore, JsonValue, StoredCursor } from '@belfry/plugin-api';

/**
 * A CursorStore that remembers the last cursor each job loaded or saved
 * through it, so status can show where a job stands without another round
 * trip to a shared store.
 */
export class RecordingCursorStore implements CursorStore {
  readonly #inner: CursorStore;
  readonly #last = new Map<string, StoredCursor>();

  constructor(inner: CursorStore) {
    this.#inner = inner;
  }

  async load(jobId: string): Promise<StoredCursor | null> {
    const stored = await this.#inner.load(jobId);
    if (stored !== null) this.#last.set(jobId, stored);
    return stored;
  }

  async save(jobId: string, cursor: JsonValue, fence: number): Promise<CursorSaveResult> {
    const result = await this.#inner.save(jobId, cursor, fence);
    if (result === 'saved') this.#last.set(jobId, { cursor, fence });
    return result;
  }

  /** The last cursor of `jobId` seen here, or null. */
  last(jobId: string): StoredCursor | null {
    return this.#last.get(jobId) ?? null;
  }
}
