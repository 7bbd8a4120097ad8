import { InvalidArgumentError, type Logger } from '@belfry/plugin-api';
import { consoleLogger, describeValue, resolveLogLevel } from '@belfry/internal';
import { createClient } from './create-client.js';
import { parseRedisUrl, type RedisUrl } from './parse-redis-url.js';
import { RedisInstance } from './redis-instance.js';
import type { MonotonicClock, RedisLockClient, RedisLockingOptions } from './redis-locking-options.js';

/** Options after validation, with every default applied. */
export interface ResolvedOptions {
  name: string;
  keyPrefix: string;
  instances: RedisInstance[];
  quorum: number;
  driftFactor: number;
  timeoutMs: number;
  fenceRetentionMs: number;
  clock: MonotonicClock;
  logger: Logger;
}

function positiveInteger(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`RedisLocking option "${field}" must be a positive integer number of milliseconds (got ${describeValue(value)})`);
  }
  return value;
}

function isClient(value: unknown): value is RedisLockClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.evalsha === 'function' && typeof candidate.status === 'string' && typeof candidate.on === 'function';
}

/** Validates `RedisLocking` options; every problem names the option and the bad value. */
export function resolveOptions(options: RedisLockingOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`RedisLocking options must be an object with client, clients or url (got ${describeValue(options)})`);
  }
  const given = (['client', 'clients', 'url'] as const).filter((field) => options[field] !== undefined);
  if (given.length !== 1) {
    throw new InvalidArgumentError(
      `RedisLocking needs exactly one of the options "client", "clients" or "url" (got ${given.length === 0 ? 'none' : given.join(', ')})`,
    );
  }
  for (const [current, deprecated] of [['timeoutMs', 'commandTimeoutMs'], ['clock', 'monotonicClock']] as const) {
    if (options[current] !== undefined && options[deprecated] !== undefined) {
      throw new InvalidArgumentError(`RedisLocking options "${current}" and "${deprecated}" (its deprecated name) were both given; give only "${current}"`);
    }
  }
  const connectTimeoutMs = positiveInteger(options.connectTimeoutMs, 'connectTimeoutMs', 1000);
  const reconnectMaxDelayMs = positiveInteger(options.reconnectMaxDelayMs, 'reconnectMaxDelayMs', 1000);
  const fenceRetentionMs = positiveInteger(options.fenceRetentionMs, 'fenceRetentionMs', 86_400_000);

  const keyPrefix = options.keyPrefix ?? 'belfry:lock:';
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
    throw new InvalidArgumentError(`RedisLocking option "keyPrefix" must be a string without "{" or "}" (got ${describeValue(keyPrefix)})`);
  }
  const name = options.name ?? 'redis';
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(`RedisLocking option "name" must be a non-empty string (got ${describeValue(name)})`);
  }
  const driftFactor = options.driftFactor ?? 0.01;
  if (typeof driftFactor !== 'number' || !(driftFactor >= 0 && driftFactor < 0.5)) {
    throw new InvalidArgumentError(`RedisLocking option "driftFactor" must be a number from 0 to below 0.5 (got ${describeValue(driftFactor)})`);
  }
  const clockOption = options.clock === undefined && options.monotonicClock !== undefined ? 'monotonicClock' : 'clock';
  const clock = options.clock ?? options.monotonicClock ?? performance;
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
    throw new InvalidArgumentError(`RedisLocking option "${clockOption}" must have a now() method (got ${describeValue(clock)})`);
  }

  const logger = options.logger ?? consoleLogger(resolveLogLevel());
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function' || typeof logger.info !== 'function' || typeof logger.error !== 'function') {
    throw new InvalidArgumentError(`RedisLocking option "logger" must have info(), warn() and error() methods (got ${describeValue(logger)})`);
  }

  const sources = instanceSources(options);
  // The deprecated commandTimeoutMs bounded each round; as many rounds as a tryLock may take keep its old overall bound.
  const timeoutMs =
    options.commandTimeoutMs === undefined
      ? positiveInteger(options.timeoutMs, 'timeoutMs', 1000)
      : positiveInteger(options.commandTimeoutMs, 'commandTimeoutMs', 500) * (sources.length > 1 ? 3 : 2);
  const majority = Math.floor(sources.length / 2) + 1;
  const quorum = options.quorum ?? majority;
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < majority || quorum > sources.length) {
    throw new InvalidArgumentError(
      `RedisLocking option "quorum" must be an integer from ${majority} to ${sources.length}, a majority of ${sources.length} instance${sources.length === 1 ? '' : 's'} (got ${describeValue(quorum)})`,
    );
  }
  // Connections are opened only once every option is known to be valid.
  const settings = { connectTimeoutMs, reconnectMaxDelayMs, timeoutMs };
  const instances = sources.map((source) =>
    isRedisUrl(source) ? new RedisInstance(createClient(source.url, settings), true, source.secrets, timeoutMs) : new RedisInstance(source, false, [], timeoutMs),
  );
  return { name, keyPrefix, instances, quorum, driftFactor, timeoutMs, fenceRetentionMs, clock, logger };
}

/** The validated URLs or clients, one per instance. */
function instanceSources(options: RedisLockingOptions): Array<RedisUrl | RedisLockClient> {
  if (options.url !== undefined) {
    if (typeof options.url === 'string') return [parseRedisUrl(options.url, '"url"')];
    if (!Array.isArray(options.url) || options.url.length === 0) {
      throw new InvalidArgumentError(`RedisLocking option "url" must be a URL string or a non-empty array of them (got ${describeValue(options.url)})`);
    }
    const urls = options.url.map((url: unknown, index) => parseRedisUrl(url, `"url[${index}]"`));
    // One server listed twice would answer twice for one lock: SET NX grants once, so a free key is never taken.
    const servers = urls.map((url) => url.server);
    servers.forEach((server, index) => {
      const first = servers.indexOf(server);
      if (first !== index) {
        throw new InvalidArgumentError(`RedisLocking option "url" lists the server ${server} twice (at ${first} and ${index}); a quorum needs independent servers`);
      }
    });
    return urls;
  }
  if (options.client !== undefined) {
    if (!isClient(options.client)) {
      throw new InvalidArgumentError(`RedisLocking option "client" must be an ioredis Redis or Cluster client (got ${describeValue(options.client)})`);
    }
    return [options.client];
  }
  const clients: unknown = options.clients;
  if (!Array.isArray(clients) || clients.length === 0) {
    throw new InvalidArgumentError(`RedisLocking option "clients" must be a non-empty array of ioredis clients (got ${describeValue(clients)})`);
  }
  clients.forEach((client: unknown, index) => {
    if (!isClient(client)) {
      throw new InvalidArgumentError(`RedisLocking option "clients[${index}]" must be an ioredis Redis or Cluster client (got ${describeValue(client)})`);
    }
    const first = clients.indexOf(client);
    if (first !== index) {
      throw new InvalidArgumentError(`RedisLocking option "clients" lists one client twice (at ${first} and ${index}); a quorum needs independent servers`);
    }
  });
  return clients as RedisLockClient[];
}

function isRedisUrl(source: RedisUrl | RedisLockClient): source is RedisUrl {
  return typeof (source as RedisUrl).url === 'string' && Array.isArray((source as RedisUrl).secrets);
}
