export { PgLocking } from './pg-locking.js';
export type { PgLockingOptions, PgLockMode } from './pg-locking-options.js';
export { PG_LOCK_MAX_KEY_LENGTH } from './assert-pg-lock-key.js';
export { advisoryKey } from './advisory-key.js';
