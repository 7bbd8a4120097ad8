import type { Presence } from '@belfry/plugin-api';
import type { ClusterStoreContext } from './cluster-store-context.js';

/** What each presence rule gets. */
export type PresenceContext = ClusterStoreContext<Presence>;
