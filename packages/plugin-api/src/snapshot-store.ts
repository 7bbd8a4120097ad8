import type { StatefulSnapshot } from './stateful.js';

/**
 * Where snapshots live between runs, one per plugin id. Every method is
 * async; implementations validate their arguments and reject bad ones with
 * `invalid_argument`.
 */
export interface SnapshotStore {
  /** Stores `snapshot` under `snapshot.id`, replacing what was there. Resolves once it is durable. */
  save(snapshot: StatefulSnapshot): Promise<void>;
  /** The snapshot last saved under `id`, or `null` when there is none (or none intact). */
  load(id: string): Promise<StatefulSnapshot | null>;
  /** Forgets `id`. Deleting an id that is not stored is not an error. */
  delete(id: string): Promise<void>;
  /** Every stored id, each once, sorted. */
  list(): Promise<string[]>;
}

/** A stored snapshot and the fence of the writer that saved it (0 for a plain `save`). */
export interface FencedSnapshot {
  snapshot: StatefulSnapshot;
  fence: number;
}

/** What a fenced save did: stored it, or refused it because a higher fence is stored. */
export type SnapshotSaveResult = 'saved' | 'stale';

/**
 * A snapshot store that several nodes write: concurrent writers are ordered
 * by fence (the fencing token of the lock each held), never by wall clock.
 * A fenced save whose fence is below the stored one is refused as `stale`
 * and changes nothing; an equal fence is accepted (the same writer saving
 * again). A plain `save` stores fence 0; `delete` forgets the fence with
 * the snapshot.
 */
export interface FencedSnapshotStore extends SnapshotStore {
  /** Stores `snapshot` with `fence` (a non-negative safe integer) unless a higher fence is stored. */
  saveFenced(snapshot: StatefulSnapshot, fence: number): Promise<SnapshotSaveResult>;
  /** The stored snapshot with its fence, or `null` when there is none. */
  loadFenced(id: string): Promise<FencedSnapshot | null>;
}
