import { describe, expect, test } from 'vitest';
import { RedisControl, RedisPresence, RedisRunHistory } from '../src/index.js';
import { adminClient, REDIS_URL } from './support/redis.js';

describe('options of the cluster stores', () => {
  test.each<[string, () => unknown, string]>([
    ['RedisRunHistory without options', () => new RedisRunHistory(undefined as never), 'RedisRunHistory options must be an object with "client" or "url" (got undefined)'],
    ['RedisPresence with neither client nor url', () => new RedisPresence({}), 'RedisPresence needs exactly one of the options "client" or "url" (got none)'],
    ['RedisControl with a hash tag in the prefix', () => new RedisControl({ url: REDIS_URL, keyPrefix: 'a{b}' }), 'RedisControl option "keyPrefix" must be a string without "{" or "}"'],
    ['a misspelt option', () => new RedisRunHistory({ url: REDIS_URL, maxRun: 5 } as never), 'RedisRunHistory has no option "maxRun" (known: client, url, keyPrefix, timeoutMs, maxRuns, maxAgeMs)'],
    ['an option of another store', () => new RedisPresence({ url: REDIS_URL, watchIntervalMs: 5 } as never), 'RedisPresence has no option "watchIntervalMs"'],
    ['a zero maxRuns', () => new RedisRunHistory({ url: REDIS_URL, maxRuns: 0 }), 'RedisRunHistory: options.maxRuns must be an integer ≥ 1, got 0'],
    ['a fractional maxAgeMs', () => new RedisRunHistory({ url: REDIS_URL, maxAgeMs: 1.5 }), 'RedisRunHistory: options.maxAgeMs must be an integer ≥ 1, got 1.5'],
    ['a zero watchIntervalMs', () => new RedisControl({ url: REDIS_URL, watchIntervalMs: 0 }), 'RedisControl option "watchIntervalMs" must be an integer number of milliseconds from 1 to 60000 (got 0)'],
    ['a logger without warn', () => new RedisControl({ url: REDIS_URL, logger: {} as never }), 'RedisControl option "logger" must be a Logger with warn() (got an object)'],
  ])('%s is refused with invalid_argument naming the option', (_, make, message) => {
    expect(make).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(message) }));
  });

  test('the defaults: 10,000 runs and 7 days of history, under belfry:{history}:', async () => {
    const client = adminClient();
    try {
      const history = new RedisRunHistory({ client });
      expect({ maxRuns: history.maxRuns, maxAgeMs: history.maxAgeMs }).toEqual({ maxRuns: 10_000, maxAgeMs: 7 * 24 * 60 * 60 * 1000 });
      await history.query({ limit: 1 });
      await history.close();
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });
});
