import type { RunHistory } from '@belfry/plugin-api';
import type { ClusterStoreContext } from './cluster-store-context.js';

/** What each history rule gets; the history keeps at most {@link HISTORY_MAX_RUNS} runs and `100 × shortMs` of age. */
export type RunHistoryContext = ClusterStoreContext<RunHistory>;

/** The `maxRuns` every history rule's store is created with. */
export const HISTORY_MAX_RUNS = 20;
/** The `maxAgeMs` every history rule's store is created with, in multiples of `shortMs`. */
export const HISTORY_MAX_AGE_SHORTS = 100;
