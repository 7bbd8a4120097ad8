import type { Clock, LockHandle } from '@belfry/plugin-api';

/** Quoted, schema-qualified relation names. */
interface ModeRelations {
  schema: string;
  table: string;
  sequence: string;
}

/** What both modes are configured with. */
export interface ModeContext {
  relations: ModeRelations;
  keyPrefix: string;
  timeoutMs: number;
  setupTimeoutMs: number;
  clock: Clock;
}

/** The storage strategy behind PgLocking; arguments arrive already validated. */
export interface LockMode {
  setup(): Promise<void>;
  tryLock(key: string, ttlMs: number): Promise<LockHandle | null>;
  renew(handle: LockHandle): Promise<void>;
  release(handle: LockHandle): Promise<void>;
  close(): Promise<void>;
}
