export { PgCursorStore, type PgCursorStoreOptions } from './pg-cursor-store.js';
export { PgSnapshotStore, type PgSnapshotStoreOptions } from './pg-snapshot-store.js';
export type { PgStoreOptions } from './pg-store-options.js';
export { STORE_BACKEND } from '@belfry/internal';
export { createPgPool, type CreatePgPoolOptions } from './create-pg-pool.js';
