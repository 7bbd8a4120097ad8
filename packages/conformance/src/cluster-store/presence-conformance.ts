import type { Presence } from '@belfry/plugin-api';
import type { ClusterStoreConformance, ClusterStoreFactory } from './cluster-store-factory.js';

/** Makes presence stores for the presence suite. */
export type PresenceFactory = ClusterStoreFactory<Presence>;

/** A presence store presented to the presence suite. */
export type PresenceConformance = ClusterStoreConformance<Presence>;
