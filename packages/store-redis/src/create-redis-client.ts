import { Redis } from 'ioredis';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue, parseServerUrl } from '@belfry/internal';

/** Options of {@link createRedisClient}. */
export interface CreateRedisClientOptions {
  /** Connect timeout in ms. Default `1000`. */
  timeoutMs?: number;
}

/**
 * An ioredis client for `url` with the settings a lock backend and the
 * stores all need, so one connection can serve them together (pass it as
 * `client` to `RedisLocking` and to every store): no offline queue and no
 * resending of a command on a new connection — a call fails within its
 * timeout instead of waiting for a server that is gone, and nothing runs
 * after its caller was told it failed — and reconnection that never gives
 * up. The caller owns the client and disconnects it.
 */
export function createRedisClient(url: string, options: CreateRedisClientOptions = {}): Redis {
  const timeoutMs = options.timeoutMs ?? 1000;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError(`createRedisClient option "timeoutMs" must be a positive integer number of milliseconds (got ${describeValue(timeoutMs)})`);
  }
  parseServerUrl(url, { schemes: ['redis', 'rediss'], where: 'createRedisClient url', example: 'redis://127.0.0.1:6379' });
  return new Redis(url, {
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  });
}
