import type { Control } from '@belfry/plugin-api';
import type { ClusterStoreContext } from './cluster-store-context.js';

/** What each control rule gets. */
export type ControlContext = ClusterStoreContext<Control>;
