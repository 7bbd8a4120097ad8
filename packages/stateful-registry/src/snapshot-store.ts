import type { StatefulSnapshot } from '@belfry/plugin-api';

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
