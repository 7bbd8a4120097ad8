export { PgCursorStore, type PgCursorStoreOptions } from './pg-cursor-store.js';
export type { PgStoreOptions } from './pg-store-options.js';
export { STORE_BACKEND } from '@belfry/internal';
