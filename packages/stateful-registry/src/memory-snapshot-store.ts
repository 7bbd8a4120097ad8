import type { StatefulSnapshot } from '@belfry/plugin-api';
import { assertSnapshot } from './assert-snapshot.js';
import { assertSnapshotId } from './assert-snapshot-id.js';
import type { SnapshotStore } from './snapshot-store.js';

/**
 * Keeps snapshots in this process's memory: for tests and for hosts that only
 * need state across an in-process restart. Bytes are copied on the way in and
 * out, so neither the plugin nor the caller can change what is stored.
 */
export class MemorySnapshotStore implements SnapshotStore {
  readonly #snapshots = new Map<string, StatefulSnapshot>();

  async save(snapshot: StatefulSnapshot): Promise<void> {
    assertSnapshot(snapshot, 'MemorySnapshotStore.save');
    this.#snapshots.set(snapshot.id, { id: snapshot.id, version: snapshot.version, bytes: new Uint8Array(snapshot.bytes) });
  }

  async load(id: string): Promise<StatefulSnapshot | null> {
    assertSnapshotId(id, 'MemorySnapshotStore.load');
    const stored = this.#snapshots.get(id);
    return stored === undefined ? null : { id: stored.id, version: stored.version, bytes: new Uint8Array(stored.bytes) };
  }

  async delete(id: string): Promise<void> {
    assertSnapshotId(id, 'MemorySnapshotStore.delete');
    this.#snapshots.delete(id);
  }

  async list(): Promise<string[]> {
    return [...this.#snapshots.keys()].sort();
  }
}
