import { createHash } from 'node:crypto';
import { LockLostError, type LockHandle } from '@belfry/plugin-api';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { isDirectSession, knownDirectSession } from './direct-session.js';
import type { LockMode, ModeContext } from './lock-mode.js';
import { leaseStatements } from './lease-statements.js';
import { preparedName } from './prepared-name.js';
import { isConnectionLoss } from './is-connection-loss.js';
import { queryWithin, RUNNING_THE_STATEMENT } from './query-within.js';
import { randomToken } from './random-token.js';
import { runOnPool } from './run-on-pool.js';
import { runSetup } from './run-setup.js';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/** A statement of lease mode and the name it is prepared under on direct sessions. */
interface Statement {
  text: string;
  name: string;
}

/**
 * Lease mode: a row per held key in a lock table; expiry on the database
 * clock. Each call borrows a pooled connection for one statement — one
 * round trip — and gives it back, so any number of held locks costs no
 * connections. On a direct session the statement is prepared once per
 * connection (parsing and planning an upsert costs about as much as the
 * round trip); through a transaction pooler it is sent unnamed each time.
 */
export class LeaseMode implements LockMode {
  private readonly statements: Record<keyof ReturnType<typeof leaseStatements>, Statement>;
  /** lock_timeout for row waits: well below the client deadline, so the server's clearer error wins the race. */
  private readonly lockTimeout: string;

  constructor(
    private readonly pool: Pool,
    private readonly context: ModeContext,
  ) {
    const texts = leaseStatements(context.relations);
    this.statements = {
      acquire: { text: texts.acquire, name: preparedName(texts.acquire) },
      renew: { text: texts.renew, name: preparedName(texts.renew) },
      release: { text: texts.release, name: preparedName(texts.release) },
    };
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
    const lockId = randomToken();
    const hash = keyHash(stored);
    const values = [hash, stored, lockId, ttlMs, this.lockTimeout];
    let result: QueryResult;
    try {
      // Safe to retry: a second attempt with the same token re-takes its own row.
      result = await this.run(this.statements.acquire, values, true);
    } catch (error) {
      // The statement may have committed after this call gave up on it (a late reply, a lost
      // connection): delete the row by its token in the background, or nobody could take the
      // key until its TTL ran out. Not awaited, so the call still fails within its bound; given
      // setup's longer bound, since the connection it needs may be as slow as the one that failed.
      if (mayHaveCommitted(error)) {
        const undo = [hash, lockId, this.lockTimeout];
        void this.run(this.statements.release, undo, true, this.context.setupTimeoutMs).catch(() => undefined);
      }
      throw error;
    }
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

  private run(statement: Statement, values: unknown[], idempotent: boolean, timeoutMs = this.context.timeoutMs) {
    return runOnPool(this.pool, timeoutMs, (client, remainingMs) => this.runOn(client, statement, values, remainingMs), idempotent);
  }

  private async runOn(client: PoolClient, { text, name }: Statement, values: unknown[], timeoutMs: number): Promise<QueryResult> {
    const deadline = performance.now() + timeoutMs;
    // On the first use of a connection (setup() usually checked it already): one more round trip, once.
    const direct = knownDirectSession(client) ?? (await isDirectSession(client, timeoutMs));
    const left = Math.max(1, Math.round(deadline - performance.now()));
    return queryWithin(client, direct ? { name, text, values } : { text, values }, left);
  }
}

/** True when a failed statement was sent and may still have taken effect on the server. */
function mayHaveCommitted(error: unknown): boolean {
  if (error instanceof TimeoutExceededError) return error.what === RUNNING_THE_STATEMENT;
  return isConnectionLoss(error);
}

/** Rows are keyed by a digest of the key, so keys far longer than a btree entry allows still index. */
function keyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
