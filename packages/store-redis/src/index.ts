export { RedisCursorStore, type RedisCursorStoreOptions } from './redis-cursor-store.js';
export { RedisSnapshotStore, type RedisSnapshotStoreOptions } from './redis-snapshot-store.js';
export type { RedisStoreOptions, RedisStoreClient } from './redis-store-options.js';
export { STORE_BACKEND } from '@belfry/internal';
export { RedisRunHistory, type RedisRunHistoryOptions } from './redis-run-history.js';
export { RedisPresence, type RedisPresenceOptions } from './redis-presence.js';
export { RedisControl, type RedisControlOptions } from './redis-control.js';
