import { Redis } from 'ioredis';

/** Settings for a client RedisLocking creates and owns. */
export interface OwnedClientSettings {
  connectTimeoutMs: number;
  reconnectMaxDelayMs: number;
  /** The calls' deadline: the client's own command timeout. */
  timeoutMs: number;
}

/**
 * Creates an ioredis client for `url` that cannot turn a dead server into a
 * hang: a bounded connect timeout, no offline queue, no retries of a command
 * on a new connection (a lock command replayed after its caller gave up
 * would take a lock nobody knows about), and reconnection that never gives
 * up so the backend heals by itself. `timeoutMs` is the client's command
 * timeout; each lock command carries what is left of its call's deadline
 * as its own command timeout (see `RedisInstance`), so a call costs no
 * timer of its own.
 */
export function createClient(url: string, settings: OwnedClientSettings): Redis {
  return new Redis(url, {
    connectTimeout: settings.connectTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: settings.timeoutMs,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, settings.reconnectMaxDelayMs),
  });
}
