import { InvalidArgumentError, type Clock, type Control, type LockingPlugin, type Logger, type Presence, type RunHistory } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '@belfry/stateful-registry';
import type { HostConfig } from './host-config.js';
import { HostStartError } from './host-errors.js';
import { pgStoreTables, type PgStoreTables } from './pg-store-tables.js';
import { importStorePackage, lockConnection, type StoreClass } from './shared-connection.js';

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

/** The three store classes of a cluster store package, by the names it exports. */
type StoreClasses = [history: StoreClass<RunHistory>, presence: StoreClass<Presence>, control: StoreClass<Control>];

/** Opens the three stores on one connection (in `tables` when given); PostgreSQL's create their tables first. On failure, closes what it opened. */
async function openStores([History, Presence, Control]: StoreClasses, options: Record<string, unknown>, tables?: PgStoreTables): Promise<SelectedClusterStores> {
  const opened: { setup?(): Promise<void>; close(): Promise<void> }[] = [];
  const inTable = (table: string | undefined) => (table === undefined ? options : { ...options, table });
  try {
    const history = new History(inTable(tables?.history));
    opened.push(history);
    const presence = new Presence(inTable(tables?.presence));
    opened.push(presence);
    const control = new Control(inTable(tables?.control));
    opened.push(control);
    for (const store of opened) await store.setup?.();
    return { history, presence, control, close: async () => void (await Promise.allSettled(opened.map((store) => store.close()))) };
  } catch (error) {
    await Promise.allSettled(opened.map((store) => store.close()));
    throw error;
  }
}

/** Picks the named classes out of a store package, refusing to go on without one of them. */
function storeClasses(module: Record<string, unknown>, packageName: string, names: readonly [string, string, string]): StoreClasses {
  const classes = names.map((name) => module[name]);
  const missing = names.filter((_, index) => typeof classes[index] !== 'function');
  if (missing.length > 0) throw new HostStartError(`${packageName} has no ${missing.join(', ')}. Fix: install a ${packageName} of the same release as @belfry/host`);
  return classes as StoreClasses;
}

const PURPOSE = 'a shared run history, node list and pause store';

/** The stores on the lock backend's Redis (a quorum's first server), under the same key prefix. */
const redisStores: ClusterStoreFactory = async ({ config, locking }) => {
  const module = await importStorePackage<unknown>('@belfry/store-redis', PURPOSE);
  const { client } = lockConnection(locking);
  const url = [config.locking.redisUrl ?? []].flat()[0];
  const classes = storeClasses(module, '@belfry/store-redis', ['RedisRunHistory', 'RedisPresence', 'RedisControl']);
  return openStores(classes, { ...(client === undefined ? { url } : { client }), keyPrefix: config.locking.keyPrefix });
};

/** The stores in the lock backend's PostgreSQL database, on its pool, in tables named after the key prefix. */
const pgStores: ClusterStoreFactory = async ({ config, locking }) => {
  const module = await importStorePackage<unknown>('@belfry/store-pg', PURPOSE);
  const { pool } = lockConnection(locking);
  const classes = storeClasses(module, '@belfry/store-pg', ['PgRunHistory', 'PgPresence', 'PgControl']);
  return openStores(classes, pool === undefined ? { connectionString: config.locking.databaseUrl } : { pool }, pgStoreTables(config.locking.keyPrefix));
};

/**
 * Cluster stores by lock backend name: the stores live where the locks do,
 * so a cluster that agrees on locks agrees on history, nodes and pauses. A
 * backend without an entry (one a plugin provides) falls back to memory
 * stores with a warning.
 */
const FACTORIES: Readonly<Record<string, ClusterStoreFactory>> = {
  memory: memoryStores,
  redis: redisStores,
  pg: pgStores,
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
