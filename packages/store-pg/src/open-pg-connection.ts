import pg, { type Pool } from 'pg';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue, parseServerUrl } from '@belfry/internal';
import { PgConnection } from './pg-connection.js';
import type { PgStoreOptions } from './pg-store-options.js';

function isPool(value: unknown): value is Pool {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.connect === 'function' && typeof candidate.query === 'function' && typeof candidate.end === 'function';
}

/**
 * Validates the options every PostgreSQL store takes and makes (or
 * borrows) its pool; `store` names the class in messages. A pool is made
 * only once every option is known to be valid.
 */
export function openPgConnection(options: PgStoreOptions, store: string): PgConnection {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`${store} options must be an object with "pool" or "connectionString" (got ${describeValue(options)})`);
  }
  const given = (['pool', 'connectionString'] as const).filter((field) => options[field] !== undefined);
  if (given.length !== 1) {
    throw new InvalidArgumentError(`${store} needs exactly one of the options "pool" or "connectionString" (got ${given.length === 0 ? 'none' : given.join(' and ')})`);
  }
  const timeoutMs = options.timeoutMs ?? 1000;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError(`${store} option "timeoutMs" must be a positive integer number of milliseconds (got ${describeValue(timeoutMs)})`);
  }
  if (options.pool !== undefined) {
    if (!isPool(options.pool)) {
      throw new InvalidArgumentError(`${store} option "pool" must be a pg Pool (got ${describeValue(options.pool)})`);
    }
    return new PgConnection(options.pool, false, timeoutMs);
  }
  parseServerUrl(options.connectionString, {
    schemes: ['postgres', 'postgresql'],
    where: `${store} option "connectionString"`,
    example: 'postgres://user@127.0.0.1:5432/app',
  });
  const pool = new pg.Pool({ connectionString: options.connectionString, connectionTimeoutMillis: timeoutMs });
  // An idle connection whose server went away is dropped by the pool; without
  // a listener its 'error' event would end the process.
  pool.on('error', () => undefined);
  return new PgConnection(pool, true, timeoutMs);
}
