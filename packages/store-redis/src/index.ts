export { RedisCursorStore, type RedisCursorStoreOptions } from './redis-cursor-store.js';
export { RedisSnapshotStore, type RedisSnapshotStoreOptions } from './redis-snapshot-store.js';
export type { RedisStoreOptions, RedisStoreClient } from './redis-store-options.js';
export { STORE_BACKEND } from '@belfry/internal';
export { createRedisClient, type CreateRedisClientOptions } from './create-redis-client.js';
