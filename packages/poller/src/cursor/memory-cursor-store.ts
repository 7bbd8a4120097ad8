import { assertCursor, assertFence, assertJobId } from '@belfry/internal';
import type { JsonValue } from '@belfry/plugin-api';
import type { CursorSaveResult, CursorStore, StoredCursor } from '@belfry/plugin-api';

/** Keeps cursors in this process's memory: for tests and single-node hosts that may restart from scratch. */
export class MemoryCursorStore implements CursorStore {
  readonly #cursors = new Map<string, StoredCursor>();

  async load(jobId: string): Promise<StoredCursor | null> {
    assertJobId(jobId, 'MemoryCursorStore.load');
    const stored = this.#cursors.get(jobId);
    return stored === undefined ? null : structuredClone(stored);
  }

  async save(jobId: string, cursor: JsonValue, fence: number): Promise<CursorSaveResult> {
    assertJobId(jobId, 'MemoryCursorStore.save');
    assertCursor(cursor, 'MemoryCursorStore.save');
    assertFence(fence, 'MemoryCursorStore.save');
    const stored = this.#cursors.get(jobId);
    if (stored !== undefined && fence < stored.fence) return 'stale';
    // A copy, so the caller changing its object later cannot change what is stored.
    this.#cursors.set(jobId, { cursor: structuredClone(cursor), fence });
    return 'saved';
  }
}
