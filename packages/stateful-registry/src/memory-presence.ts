import { systemClock, type Clock, type LiveNode, type NodeInfo, type Presence } from '@belfry/plugin-api';
import { assertName, assertStoreOptions, assertNodeInfo, assertPresenceTtlMs } from '@belfry/internal';

/** Options of {@link MemoryPresence}. */
export interface MemoryPresenceOptions {
  /** The clock TTLs run on. Default `systemClock`. */
  clock?: Clock;
}

interface Entry {
  node: LiveNode;
  expiresAt: number;
}

/**
 * Keeps live nodes in this process's memory: the embedded default, where
 * the only node is this one. TTLs run on the injected clock. `peer()` gives
 * another handle on the same nodes, as a second node in this process would
 * have.
 */
export class MemoryPresence implements Presence {
  readonly #clock: Clock;
  #entries = new Map<string, Entry>();

  constructor(options: MemoryPresenceOptions = {}) {
    assertStoreOptions(options, ['clock'], 'MemoryPresence');
    this.#clock = options.clock ?? systemClock;
  }

  /** Another handle on the same nodes, with the same clock. */
  peer(): MemoryPresence {
    const other = new MemoryPresence({ clock: this.#clock });
    other.#entries = this.#entries;
    return other;
  }

  async publish(node: NodeInfo, ttlMs: number): Promise<void> {
    assertNodeInfo(node, 'MemoryPresence.publish');
    assertPresenceTtlMs(ttlMs, 'MemoryPresence.publish');
    const now = this.#clock.now();
    const { nodeId, version, startedAt, backend, status } = node;
    this.#entries.set(nodeId, { node: { nodeId, version, startedAt, backend, status, lastSeenAt: now }, expiresAt: now + ttlMs });
  }

  async list(): Promise<LiveNode[]> {
    const now = this.#clock.now();
    for (const [nodeId, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(nodeId);
    return [...this.#entries.values()].map((entry) => ({ ...entry.node })).sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  async withdraw(nodeId: string): Promise<void> {
    assertName(nodeId, 'nodeId', 'MemoryPresence.withdraw');
    this.#entries.delete(nodeId);
  }
}
