import type { FencedSnapshot, FencedSnapshotStore, SnapshotSaveResult, StatefulSnapshot } from '@belfry/plugin-api';
import { assertFence, assertSnapshot, assertSnapshotId } from '@belfry/internal';

/**
 * Keeps snapshots in this process's memory: for tests and for hosts that only
 * need state across an in-process restart. Bytes are copied on the way in and
 * out, so neither the plugin nor the caller can change what is stored. Fenced
 * saves (`saveFenced`) refuse a fence below the stored one, as the cluster
 * stores do.
 */
export class MemorySnapshotStore implements FencedSnapshotStore {
  readonly #snapshots = new Map<string, FencedSnapshot>();

  async save(snapshot: StatefulSnapshot): Promise<void> {
    assertSnapshot(snapshot, 'MemorySnapshotStore.save');
    this.#snapshots.set(snapshot.id, { snapshot: copy(snapshot), fence: 0 });
  }

  async saveFenced(snapshot: StatefulSnapshot, fence: number): Promise<SnapshotSaveResult> {
    assertSnapshot(snapshot, 'MemorySnapshotStore.saveFenced');
    assertFence(fence, 'MemorySnapshotStore.saveFenced');
    const stored = this.#snapshots.get(snapshot.id);
    if (stored !== undefined && stored.fence > fence) return 'stale';
    this.#snapshots.set(snapshot.id, { snapshot: copy(snapshot), fence });
    return 'saved';
  }

  async load(id: string): Promise<StatefulSnapshot | null> {
    assertSnapshotId(id, 'MemorySnapshotStore.load');
    const stored = this.#snapshots.get(id);
    return stored === undefined ? null : copy(stored.snapshot);
  }

  async loadFenced(id: string): Promise<FencedSnapshot | null> {
    assertSnapshotId(id, 'MemorySnapshotStore.loadFenced');
    const stored = this.#snapshots.get(id);
    return stored === undefined ? null : { snapshot: copy(stored.snapshot), fence: stored.fence };
  }

  async delete(id: string): Promise<void> {
    assertSnapshotId(id, 'MemorySnapshotStore.delete');
    this.#snapshots.delete(id);
  }

  async list(): Promise<string[]> {
    return [...this.#snapshots.keys()].sort();
  }
}

function copy(snapshot: StatefulSnapshot): StatefulSnapshot {
  return { id: snapshot.id, version: snapshot.version, bytes: new Uint8Array(snapshot.bytes) };
}
