import type { Control } from '@belfry/plugin-api';
import type { ClusterStoreConformance, ClusterStoreFactory } from './cluster-store-factory.js';

/**
 * Makes control stores for the control suite. A peer's watchers must learn
 * of changes well within half the rule timeout (configure a short
 * re-read interval for polling implementations).
 */
export type ControlFactory = ClusterStoreFactory<Control>;

/** A control store presented to the control suite. */
export type ControlConformance = ClusterStoreConformance<Control>;
