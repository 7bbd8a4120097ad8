export { MemoryLocking, MEMORY_LOCK_MAX_KEY_LENGTH } from './memory-locking.js';
export type { MemoryLockingOptions } from './memory-locking.js';
