import { Redis } from 'ioredis';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue, parseServerUrl } from '@belfry/internal';
import { RedisConnection } from './redis-connection.js';
import type { RedisStoreClient, RedisStoreOptions } from './redis-store-options.js';

/** A store's validated options: its connection and key prefix. */
export interface OpenedRedisStore {
  connection: RedisConnection;
  keyPrefix: string;
}

function isClient(value: unknown): value is RedisStoreClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.evalsha === 'function' && typeof candidate.status === 'string' && typeof candidate.on === 'function';
}

/**
 * Validates the options every Redis store takes and opens (or borrows) its
 * connection; `store` names the class in messages. A connection is made
 * only once every option is known to be valid.
 */
export function openRedisConnection(options: RedisStoreOptions, store: string): OpenedRedisStore {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`${store} options must be an object with "client" or "url" (got ${describeValue(options)})`);
  }
  const given = (['client', 'url'] as const).filter((field) => options[field] !== undefined);
  if (given.length !== 1) {
    throw new InvalidArgumentError(`${store} needs exactly one of the options "client" or "url" (got ${given.length === 0 ? 'none' : given.join(' and ')})`);
  }
  const timeoutMs = options.timeoutMs ?? 1000;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError(`${store} option "timeoutMs" must be a positive integer number of milliseconds (got ${describeValue(timeoutMs)})`);
  }
  const keyPrefix = options.keyPrefix ?? 'belfry:';
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
    throw new InvalidArgumentError(`${store} option "keyPrefix" must be a string without "{" or "}" (got ${describeValue(keyPrefix)})`);
  }
  if (options.client !== undefined) {
    if (!isClient(options.client)) {
      throw new InvalidArgumentError(`${store} option "client" must be an ioredis Redis or Cluster client (got ${describeValue(options.client)})`);
    }
    return { connection: new RedisConnection(options.client, false, timeoutMs), keyPrefix };
  }
  parseServerUrl(options.url, { schemes: ['redis', 'rediss'], where: `${store} option "url"`, example: 'redis://127.0.0.1:6379' });
  // No offline queue and no resending of a command on a new connection: a
  // call fails within timeoutMs instead of waiting for a server that is
  // gone, and nothing runs after its caller was told it failed.
  const client = new Redis(options.url as string, {
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  });
  return { connection: new RedisConnection(client, true, timeoutMs), keyPrefix };
}
