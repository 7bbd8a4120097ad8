import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Logger } from '@belfry/plugin-api';
import { HOSTILE_PASSWORD, hostileRedisUrls } from '@belfry/internal/testing';
import { RedisLocking } from '../src/index.js';

/** Everything a user could see: messages, causes and stacks of errors, logger and console lines. */
const seen: string[] = [];

function record(value: unknown, depth = 0): void {
  if (depth > 5 || value === undefined || value === null) return;
  if (value instanceof Error) {
    seen.push(value.message, String(value.stack));
    record(value.cause, depth + 1);
  } else {
    seen.push(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
  }
}

const logger: Logger = {
  debug: (message, fields) => record([message, fields]),
  info: (message, fields) => record([message, fields]),
  warn: (message, fields) => record([message, fields]),
  error: (message, fields) => record([message, fields]),
};

beforeEach(() => {
  seen.length = 0;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => args.forEach((arg) => record(arg)));
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

const handle = { key: 'job', lockId: 'a'.repeat(32), ttlMs: 1000 };

async function exercise(url: string | string[]): Promise<'refused' | 'constructed'> {
  let locking: RedisLocking;
  try {
    locking = new RedisLocking({ url, logger, timeoutMs: 300, connectTimeoutMs: 300 });
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid_argument' });
    record(error);
    return 'refused';
  }
  try {
    for (const call of [() => locking.tryLock('job', 1000), () => locking.renew(handle), () => locking.release(handle)]) {
      await call().catch(record);
    }
    record(await locking.checkPersistence());
  } finally {
    await locking.cleanup();
  }
  return 'constructed';
}

describe('no password in any message or log line', () => {
  test('every hostile URL, alone or in a quorum, is refused or fails without showing its password', async () => {
    const outcomes: Record<string, string> = {};
    for (const url of hostileRedisUrls) {
      outcomes[url] = await exercise(url);
      await exercise([url, 'redis://127.0.0.1:2', 'redis://127.0.0.1:3']);
    }
    // The malformed ones never reach ioredis, which would read some of them as socket paths.
    for (const url of ['redis:/:s3cret-PW@127.0.0.1:6379', 'rediss:/u:s3cret-PW@127.0.0.1:6380', 'redis::s3cret-PW@127.0.0.1:6379', 'redis//:s3cret-PW@127.0.0.1:6379']) {
      expect(outcomes[url], url).toBe('refused');
    }
    expect(outcomes['redis://:s3cret-PW@127.0.0.1:1']).toBe('constructed');
    expect(seen.length).toBeGreaterThan(hostileRedisUrls.length);
    const leaks = seen.filter((text) => text.includes('s3cret') || text.includes(HOSTILE_PASSWORD));
    expect(leaks).toEqual([]);
  }, 60_000);
});
