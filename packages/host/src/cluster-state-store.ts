import { createHash } from 'node:crypto';
import type { FencedSnapshot, FencedSnapshotStore, Logger, SnapshotSaveResult, SnapshotStore, StatefulSnapshot } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import { decodeSchedulerState, encodeSchedulerState, type PersistedScheduleState } from '@belfry/scheduler-core';

/** What the cluster state store needs to know about this node. */
export interface ClusterStateStoreOptions {
  store: FencedSnapshotStore;
  /** Put before every id in the store, so clusters with different key prefixes can share one table. Default none. */
  idPrefix?: string;
  /** The scheduler's snapshot id (`belfry.scheduler`). */
  schedulerId: string;
  nodeId: string;
  /** The schedules that run under the global lock (`require_global`, or `prefer_global` with a backend); read once every plugin is registered. */
  globalSchedules(): Iterable<readonly [plugin: string, scheduleId: string]>;
  logger: Logger;
}

/** Whose a plugin's state is: the cluster's (it has a global schedule) or this node's. */
export type StateScope = 'cluster' | 'node';

/** Longest snapshot id a store accepts. */
const MAX_ID_LENGTH = 255;

/**
 * The snapshot store the orchestrator sees on a node whose state is shared
 * with the cluster. It decides, per snapshot, what is the node's and what
 * the cluster's:
 *
 * - The snapshot of a stateful plugin with a global schedule is
 *   cluster-wide, one per plugin id. It is saved with the fence of the state
 *   this node holds (the fence it last loaded or saved after a global run),
 *   so a node holding older state than the cluster's is refused (`stale`)
 *   instead of rolling it back.
 * - A stateful plugin without a global schedule (only `node_local` ones, or
 *   none) keeps per-node state, under `<plugin id>:node:<node id>`.
 * - The scheduler's snapshot is split. Each global schedule's missed-run
 *   state is its own record, `<scheduler id>:global:<plugin>:<schedule>`,
 *   saved with its `handledThrough` as the fence: the store keeps the later
 *   watermark whichever node saves first, so nodes merge, never overwrite.
 *   The `node_local` schedules' state is this node's, saved under
 *   `<scheduler id>:node:<node id>`. Per-node state is found again only by a
 *   node with the same id (set `BELFRY_NODE_ID` to something stable).
 */
export class ClusterStateStore implements SnapshotStore {
  readonly #options: ClusterStateStoreOptions;
  /** Per plugin id: the fence of the state this node holds. */
  readonly #fences = new Map<string, number>();
  /** Per global record id: the watermark last saved, so unchanged schedules are not written again. */
  readonly #savedThrough = new Map<string, number>();
  /** Saves of the scheduler's state after runs, one at a time. */
  #schedulerSaves: Promise<void> = Promise.resolve();
  /** What the queued save will save, when one is queued and not yet started. */
  #nextSchedulerState: (() => StatefulSnapshot) | undefined;

  constructor(options: ClusterStateStoreOptions) {
    this.#options = options;
  }

  /** The fence of `id`'s state on this node (0 when it holds none from the cluster). */
  fenceOf(id: string): number {
    return this.#fences.get(id) ?? 0;
  }

  /** Records that this node now holds `id`'s state as of `fence`. */
  heldAt(id: string, fence: number): void {
    if (fence > this.fenceOf(id)) this.#fences.set(id, fence);
  }

  /** The cluster's copy of `id`'s state and its fence. */
  async loadShared(id: string): Promise<FencedSnapshot | null> {
    const loaded = await this.#options.store.loadFenced(this.#sharedId(id));
    return loaded === null ? null : { snapshot: { ...loaded.snapshot, id }, fence: loaded.fence };
  }

  /** Saves `snapshot` as the cluster's copy unless a higher fence is stored. */
  saveShared(snapshot: StatefulSnapshot, fence: number): Promise<SnapshotSaveResult> {
    return this.#options.store.saveFenced({ ...snapshot, id: this.#sharedId(snapshot.id) }, fence);
  }

  /** `cluster` when the plugin has a schedule under the global lock, `node` otherwise. */
  scopeOf(id: string): StateScope {
    for (const [plugin] of this.#options.globalSchedules()) if (plugin === id) return 'cluster';
    return 'node';
  }

  async save(snapshot: StatefulSnapshot): Promise<void> {
    if (snapshot.id === this.#options.schedulerId) return this.#saveSchedulerState(snapshot);
    if (this.scopeOf(snapshot.id) === 'node') return this.#options.store.save({ ...snapshot, id: this.#nodeId(snapshot.id) });
    const result = await this.saveShared(snapshot, this.fenceOf(snapshot.id));
    if (result === 'stale') {
      this.#options.logger.debug?.(`belfry host: state of plugin "${snapshot.id}" not saved: the cluster holds newer state (a higher fence) than this node`);
    }
  }

  async load(id: string): Promise<StatefulSnapshot | null> {
    if (id === this.#options.schedulerId) return this.#loadSchedulerState();
    if (this.scopeOf(id) === 'node') {
      const own = await this.#options.store.load(this.#nodeId(id));
      return own === null ? null : { ...own, id };
    }
    const loaded = await this.loadShared(id);
    if (loaded === null) return null;
    this.heldAt(id, loaded.fence);
    return loaded.snapshot;
  }

  /**
   * Called when a plugin cannot read its saved version. Cluster-wide state
   * is left alone: a node running an older plugin during a rolling deploy
   * must not erase what the newer nodes wrote. Per-node state (this node's
   * scheduler record, a plugin without global schedules) is deleted.
   */
  async delete(id: string): Promise<void> {
    if (id === this.#options.schedulerId || this.scopeOf(id) === 'node') {
      await this.#options.store.delete(this.#nodeId(id));
      return;
    }
    this.#options.logger.warn(`belfry host: plugin "${id}" cannot read the cluster's saved state; it starts from empty state on this node and the cluster's copy is kept`);
  }

  async list(): Promise<string[]> {
    const prefix = this.#options.idPrefix ?? '';
    return (await this.#options.store.list()).filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
  }

  /**
   * Saves the global schedules' watermarks from `take()` soon, without
   * waiting for the next snapshot pass: called after every run of a global
   * schedule, so a node that crashes right after a run leaves the cluster
   * knowing the run happened. Calls made while a save is queued share it.
   */
  saveSchedulerSoon(take: () => StatefulSnapshot): void {
    const queued = this.#nextSchedulerState !== undefined;
    this.#nextSchedulerState = take;
    if (queued) return;
    this.#schedulerSaves = this.#schedulerSaves.then(async () => {
      const next = this.#nextSchedulerState!;
      this.#nextSchedulerState = undefined;
      try {
        const failures = await this.#saveGlobalStates(decodeSchedulerState(this.#options.schedulerId, next()));
        if (failures.length > 0) throw new Error(failures.join('; '));
      } catch (error) {
        // The next snapshot pass saves it again.
        this.#options.logger.warn(`belfry host: saving the missed-run state of global schedules failed: ${errorText(error)}`);
      }
    });
  }

  async #saveSchedulerState(snapshot: StatefulSnapshot): Promise<void> {
    const { store, schedulerId } = this.#options;
    // A save still queued from a run goes first, so the connection is not closed under it at shutdown.
    await this.#schedulerSaves;
    const states = decodeSchedulerState(schedulerId, snapshot);
    const failures = await this.#saveGlobalStates(states.filter((state) => this.isGlobal(state.plugin, state.scheduleId)));
    await store.save(encodeSchedulerState(this.#nodeId(schedulerId), states.filter((state) => !this.isGlobal(state.plugin, state.scheduleId))));
    if (failures.length > 0) throw new Error(`missed-run state of ${failures.length} global schedule(s) not saved: ${failures.join('; ')}`);
  }

  /** Saves each global schedule's record with its watermark as the fence; returns what failed. */
  async #saveGlobalStates(states: PersistedScheduleState[]): Promise<string[]> {
    const failures: string[] = [];
    for (const state of states) {
      if (!this.isGlobal(state.plugin, state.scheduleId)) continue;
      const id = this.#globalRecordId(state.plugin, state.scheduleId);
      const through = watermark(state.handledThrough);
      if (this.#savedThrough.get(id) === through) continue;
      try {
        // The watermark is the fence: the later one wins, whichever node saves first.
        const result = await this.#options.store.saveFenced(encodeSchedulerState(id, [state]), through);
        this.#savedThrough.set(id, through);
        if (result === 'stale') this.#options.logger.debug?.(`belfry host: missed-run state of ${state.plugin}/${state.scheduleId} is further along on another node; kept`);
      } catch (error) {
        failures.push(`${state.plugin}/${state.scheduleId}: ${errorText(error)}`);
      }
    }
    return failures;
  }

  async #loadSchedulerState(): Promise<StatefulSnapshot | null> {
    const { store, schedulerId } = this.#options;
    const states = new Map<string, PersistedScheduleState>();
    const own = await store.load(this.#nodeId(schedulerId));
    for (const state of own === null ? [] : decodeSchedulerState(schedulerId, own)) {
      if (!this.isGlobal(state.plugin, state.scheduleId)) states.set(`${state.plugin}\u0000${state.scheduleId}`, state);
    }
    for (const [plugin, scheduleId] of this.#options.globalSchedules()) {
      const id = this.#globalRecordId(plugin, scheduleId);
      const record = await store.loadFenced(id);
      if (record === null) continue;
      for (const state of decodeSchedulerState(schedulerId, record.snapshot)) {
        states.set(`${state.plugin}\u0000${state.scheduleId}`, state);
        this.#savedThrough.set(id, record.fence);
      }
    }
    return states.size === 0 ? null : encodeSchedulerState(schedulerId, states.values());
  }

  /** Whether the schedule runs under the global lock, so its missed-run state is the cluster's. */
  isGlobal(plugin: string, scheduleId: string): boolean {
    for (const [p, s] of this.#options.globalSchedules()) if (p === plugin && s === scheduleId) return true;
    return false;
  }

  #globalRecordId(plugin: string, scheduleId: string): string {
    return this.#sharedId(`${this.#options.schedulerId}:global:${encodeURIComponent(plugin)}:${encodeURIComponent(scheduleId)}`);
  }

  /** Where this node's own copy of `id`'s state is kept. */
  #nodeId(id: string): string {
    return this.#sharedId(`${id}:node:${this.#options.nodeId}`);
  }

  #sharedId(id: string): string {
    return boundedId(`${this.#options.idPrefix ?? ''}${id}`);
  }
}

/** A watermark as a fence: a non-negative safe integer. */
function watermark(handledThrough: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(handledThrough)));
}

/** Ids past the stores' 255-character limit keep a readable head and a hash of the whole. */
function boundedId(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  return `${id.slice(0, 190)}…${createHash('sha256').update(id).digest('hex')}`;
}
