import { InvalidArgumentError, type Clock, type Control, type LockingPlugin, type Logger, type Presence, type RunHistory } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '@belfry/stateful-registry';
import type { HostConfig } from './host-config.js';

/** The stores a cluster shares beyond locks: what ran, who is alive, what is paused. */
export interface ClusterStores {
  history: RunHistory;
  presence: Presence;
  control: Control;
}

/** The stores a host uses, and how to let go of those it opened. */
export interface SelectedClusterStores extends ClusterStores {
  /** Closes what the selection opened; stores passed in stay open. */
  close(): Promise<void>;
}

/** What a factory may build the stores from: the settings, the lock backend (whose client or pool a store can share), the clock. */
export interface ClusterStoreContext {
  config: Pick<HostConfig, 'locking' | 'nodeId'>;
  locking: LockingPlugin;
  clock: Clock;
  logger: Logger;
}

type ClusterStoreFactory = (context: ClusterStoreContext) => Promise<SelectedClusterStores>;

/** Each node its own stores in memory: right for the memory backend, where the cluster is this process. */
const memoryStores: ClusterStoreFactory = async ({ clock }) => ({
  history: new MemoryRunHistory({ clock }),
  presence: new MemoryPresence({ clock }),
  control: new MemoryControl({ clock }),
  close: async () => {},
});

/**
 * Cluster stores by lock backend name: the stores live where the locks do,
 * so a cluster that agrees on locks agrees on history, nodes and pauses.
 *
 * THIS IS WHERE THE SERVER-BACKED STORES PLUG IN: add `redis` (RedisRunHistory,
 * RedisPresence, RedisControl from @belfry/store-redis, sharing the lock
 * backend's ioredis client) and `pg` (PgRunHistory, PgPresence, PgControl
 * from @belfry/store-pg, sharing its pool) as factories here. A backend
 * without an entry falls back to memory stores with a warning.
 */
const FACTORIES: Readonly<Record<string, ClusterStoreFactory>> = {
  memory: memoryStores,
};

const SHAPES: Record<keyof ClusterStores, { kind: string; methods: string[] }> = {
  history: { kind: 'RunHistory', methods: ['append', 'query'] },
  presence: { kind: 'Presence', methods: ['publish', 'list', 'withdraw'] },
  control: { kind: 'Control', methods: ['pause', 'resume', 'paused', 'watch'] },
};

/** Throws InvalidArgumentError unless `given` holds only stores of the right shape. */
function assertGivenStores(given: unknown, where: string): asserts given is Partial<ClusterStores> {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new InvalidArgumentError(`${where} must be an object { history?, presence?, control? }, got ${describeValue(given)}`);
  }
  for (const [name, store] of Object.entries(given)) {
    const shape = SHAPES[name as keyof ClusterStores];
    if (shape === undefined) throw new InvalidArgumentError(`${where} has an unknown key ${JSON.stringify(name)} (known: history, presence, control)`);
    if (store === undefined) continue;
    const missing = shape.methods.filter((method) => typeof (store as Record<string, unknown> | null)?.[method] !== 'function');
    if (missing.length > 0) {
      throw new InvalidArgumentError(`${where}.${name} must be a ${shape.kind} (${shape.methods.join(', ')}); it has no ${missing.join(', ')} function (got ${describeValue(store)})`);
    }
  }
}

/**
 * The run history, presence and control stores for this host's lock
 * backend (see {@link FACTORIES}); any store in `given` is used instead of
 * the selected one — tests and embedding hosts pass their own.
 */
export async function selectClusterStores(
  config: ClusterStoreContext['config'],
  locking: LockingPlugin,
  options: { clock: Clock; logger: Logger; given?: Partial<ClusterStores> | undefined },
): Promise<SelectedClusterStores> {
  const given = options.given ?? {};
  assertGivenStores(given, 'options.clusterStores');
  const { history, presence, control } = given;
  if (history !== undefined && presence !== undefined && control !== undefined) {
    return { history, presence, control, close: async () => {} };
  }
  const { backend } = config.locking;
  const factory = Object.hasOwn(FACTORIES, backend) ? FACTORIES[backend] : undefined;
  if (factory === undefined) {
    options.logger.warn(
      `belfry host: the "${backend}" lock backend has no shared run history, presence or pause store yet; this node keeps its own in memory, so other nodes do not see its runs and pauses`,
    );
  }
  const selected = await (factory ?? memoryStores)({ config, locking, clock: options.clock, logger: options.logger });
  return { ...selected, ...(history === undefined ? {} : { history }), ...(presence === undefined ? {} : { presence }), ...(control === undefined ? {} : { control }) };
}
