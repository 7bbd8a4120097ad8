import type { FencedSnapshot, SnapshotSaveResult, StatefulSnapshot } from '@belfry/plugin-api';

/**
 * The shape of a snapshot store (`SnapshotStore` in @belfry/plugin-api),
 * restated here so the suite has no dependency on any implementation. The
 * fenced methods (`FencedSnapshotStore`) are there when the store claims
 * `fenced`.
 */
export interface SnapshotStoreLike {
  save(snapshot: StatefulSnapshot): Promise<void>;
  load(id: string): Promise<StatefulSnapshot | null>;
  delete(id: string): Promise<void>;
  list(): Promise<string[]>;
  saveFenced?(snapshot: StatefulSnapshot, fence: number): Promise<SnapshotSaveResult>;
  loadFenced?(id: string): Promise<FencedSnapshot | null>;
}

/** A store with the fenced methods, as the `fenced` rules get it. */
export type FencedSnapshotStoreLike = Required<SnapshotStoreLike>;

/** How the snapshot-store suite makes instances of the store under test. */
export interface SnapshotStoreFactory {
  /** A fresh, empty store isolated from every other rule's (its own folder, prefix or table). */
  create(): Promise<SnapshotStoreLike> | SnapshotStoreLike;
  /** Disposes of what `create` (or `reopen`) returned. */
  destroy?(store: SnapshotStoreLike): Promise<void> | void;
  /** A new instance over the same storage as `store`, as after a restart. */
  reopen?(store: SnapshotStoreLike): Promise<SnapshotStoreLike> | SnapshotStoreLike;
}

/** What a store claims; every claimed capability is tested, the rest reported as not claimed. */
export interface SnapshotStoreCapabilities {
  /** `reopen` is given, and what one instance saved, overwrote or deleted is seen by the next. */
  persistent?: boolean;
  /**
   * `saveFenced` and `loadFenced` are implemented: a save with a fence below
   * the stored one is refused as `stale` (`FencedSnapshotStore`).
   */
  fenced?: boolean;
}

/** A snapshot store presented to the suite. */
export interface SnapshotStoreConformance {
  /** Label in reports, e.g. `'file (tmp dir)'`. */
  name: string;
  factory: SnapshotStoreFactory;
  capabilities: SnapshotStoreCapabilities;
  /** Longest one rule may take, in ms. Default 30,000 (rules write several megabytes). */
  ruleTimeoutMs?: number;
}
