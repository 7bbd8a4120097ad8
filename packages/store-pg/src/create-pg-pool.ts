import pg, { type Pool } from 'pg';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue, parseServerUrl } from '@belfry/internal';

/** Options of {@link createPgPool}. */
export interface CreatePgPoolOptions {
  /** Longest wait for a new connection, in ms. Default `1000`. */
  timeoutMs?: number;
  /** Most connections at once, shared by everything using the pool. Default `10`. */
  max?: number;
  /** Shown in `pg_stat_activity`. Default `'belfry'`. */
  applicationName?: string;
}

/**
 * A pg pool for `connectionString` that a lock backend (`PgLocking`'s
 * `pool`) and the stores can share: a bounded connect time, idle
 * connections closed after 10 s, and idle connections the server drops
 * discarded quietly instead of ending the process. The caller owns the pool
 * and ends it.
 */
export function createPgPool(connectionString: string, options: CreatePgPoolOptions = {}): Pool {
  const { timeoutMs = 1000, max = 10, applicationName = 'belfry' } = options;
  for (const [name, value] of [['timeoutMs', timeoutMs], ['max', max]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new InvalidArgumentError(`createPgPool option "${name}" must be a positive integer (got ${describeValue(value)})`);
    }
  }
  if (typeof applicationName !== 'string') {
    throw new InvalidArgumentError(`createPgPool option "applicationName" must be a string (got ${describeValue(applicationName)})`);
  }
  parseServerUrl(connectionString, { schemes: ['postgres', 'postgresql'], where: 'createPgPool connectionString', example: 'postgres://user@127.0.0.1:5432/app' });
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: timeoutMs, idleTimeoutMillis: 10_000, allowExitOnIdle: true, keepAlive: true, application_name: applicationName });
  pool.on('error', () => undefined);
  return pool;
}
