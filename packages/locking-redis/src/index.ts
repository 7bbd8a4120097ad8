export { RedisLocking, REDIS_LOCK_MAX_KEY_LENGTH } from './redis-locking.js';
export type { RedisLockingOptions, RedisLockClient, MonotonicClock } from './redis-locking-options.js';
