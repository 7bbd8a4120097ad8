import type { RunHistory, RunHistoryOptions } from '@belfry/plugin-api';
import type { ClusterStoreConformance, ClusterStoreFactory } from './cluster-store-factory.js';

/** Makes run histories for the history suite; `create` gets the retention each rule uses. */
export type RunHistoryFactory = ClusterStoreFactory<RunHistory, Required<RunHistoryOptions>>;

/** A run history presented to the history suite. */
export type RunHistoryConformance = ClusterStoreConformance<RunHistory, Required<RunHistoryOptions>>;
