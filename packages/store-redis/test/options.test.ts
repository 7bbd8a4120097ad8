import { describe, expect, test } from 'vitest';
import { RedisCursorStore } from '../src/index.js';
import { adminClient, REDIS_URL } from './support/redis.js';

type Options = ConstructorParameters<typeof RedisCursorStore>[0];

describe('RedisCursorStore options', () => {
  test.each<[string, unknown, string]>([
    ['no options', undefined, 'RedisCursorStore options must be an object with "client" or "url" (got undefined)'],
    ['neither client nor url', {}, 'RedisCursorStore needs exactly one of the options "client" or "url" (got none)'],
    ['both client and url', { client: {}, url: REDIS_URL }, 'RedisCursorStore needs exactly one of the options "client" or "url" (got client and url)'],
    ['a client that is not ioredis', { client: { get() {} } }, 'RedisCursorStore option "client" must be an ioredis Redis or Cluster client'],
    ['a url of another scheme', { url: 'http://127.0.0.1:6379' }, 'RedisCursorStore option "url" must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, but its scheme is "http:"'],
    ['a zero timeout', { url: REDIS_URL, timeoutMs: 0 }, 'RedisCursorStore option "timeoutMs" must be a positive integer number of milliseconds (got 0)'],
    ['a key prefix with a hash tag', { url: REDIS_URL, keyPrefix: 'a{b}' }, 'RedisCursorStore option "keyPrefix" must be a string without "{" or "}" (got "a{b}"'],
  ])('%s is refused with invalid_argument naming the option', (_, options, message) => {
    expect(() => new RedisCursorStore(options as Options)).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(message) }));
  });

  test('the default key prefix is belfry:, under which the store adds cursor:', async () => {
    const client = adminClient();
    try {
      const store = new RedisCursorStore({ client });
      const job = `options-${process.pid}-${Date.now()}`;
      await store.save(job, 1, 1);
      expect(await client.hget(`belfry:cursor:${job}`, 'fence')).toBe('1');
      await client.del(`belfry:cursor:${job}`);
      await store.close();
    } finally {
      client.disconnect();
    }
  });
});
