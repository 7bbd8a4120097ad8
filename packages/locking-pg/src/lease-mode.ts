import { createHash, randomBytes } from 'node:crypto';
import { LockLostError, type LockHandle } from '@belfry/plugin-api';
import type { Pool } from 'pg';
import type { LockMode, ModeContext } from './lock-mode.js';
import { leaseStatements } from './lease-statements.js';
import { queryWithin } from './query-within.js';
import { runOnPool } from './run-on-pool.js';
import { runSetup } from './run-setup.js';

/**
 * Lease mode: a row per held key in a lock table; expiry on the database
 * clock. Each call borrows a pooled connection for one statement and gives
 * it back, so any number of held locks costs no connections.
 */
export class LeaseMode implements LockMode {
  private readonly statements: ReturnType<typeof leaseStatements>;
  /** lock_timeout for row waits: well below the client deadline, so the server's clearer error wins the race. */
  private readonly lockTimeout: string;

  constructor(
    private readonly pool: Pool,
    private readonly context: ModeContext,
  ) {
    this.statements = leaseStatements(context.relations);
    this.lockTimeout = String(Math.max(1, Math.floor(context.timeoutMs * 0.6)));
  }

  setup(): Promise<void> {
    const { schema, table, sequence } = this.context.relations;
    return runSetup(this.pool, this.context.setupTimeoutMs, `belfry-locking-pg setup ${table}`, [
      ...(schema === '"public"' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${schema}`]),
      `CREATE SEQUENCE IF NOT EXISTS ${sequence}`,
      `CREATE TABLE IF NOT EXISTS ${table} (
  key_hash bytea PRIMARY KEY,
  key text NOT NULL,
  token text NOT NULL,
  expires_at timestamptz NOT NULL
)`,
    ]);
  }

  async tryLock(key: string, ttlMs: number): Promise<LockHandle | null> {
    const stored = this.context.keyPrefix + key;
    const lockId = randomBytes(16).toString('hex');
    const values = [keyHash(stored), stored, lockId, ttlMs, this.lockTimeout];
    // Safe to retry: a second attempt with the same token re-takes its own row.
    const result = await this.run(this.statements.acquire, values, true);
    const row = result.rows[0] as { fence: string } | undefined;
    if (row === undefined) return null;
    return { key, lockId, ttlMs, fence: Number(row.fence) };
  }

  async renew(handle: LockHandle): Promise<void> {
    const values = [keyHash(this.context.keyPrefix + handle.key), handle.lockId, handle.ttlMs, this.lockTimeout];
    const result = await this.run(this.statements.renew, values, true);
    if (result.rowCount !== 1) throw new LockLostError(handle.key);
  }

  async release(handle: LockHandle): Promise<void> {
    const values = [keyHash(this.context.keyPrefix + handle.key), handle.lockId, this.lockTimeout];
    await this.run(this.statements.release, values, true);
  }

  async close(): Promise<void> {}

  private run(text: string, values: unknown[], idempotent: boolean) {
    return runOnPool(this.pool, this.context.timeoutMs, (client, remainingMs) => queryWithin(client, { text, values }, remainingMs), idempotent);
  }
}

/** Rows are keyed by a digest of the key, so keys far longer than a btree entry allows still index. */
function keyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
