export { PgCursorStore, type PgCursorStoreOptions } from './pg-cursor-store.js';
export { PgSnapshotStore, type PgSnapshotStoreOptions } from './pg-snapshot-store.js';
export type { PgStoreOptions } from './pg-store-options.js';
export { STORE_BACKEND } from '@belfry/internal';
export { PgRunHistory, type PgRunHistoryOptions } from './pg-run-history.js';
export { PgPresence, type PgPresenceOptions } from './pg-presence.js';
export { PgControl, type PgControlOptions } from './pg-control.js';
