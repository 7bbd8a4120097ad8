import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOSTILE_PASSWORD, hostilePgUrls } from '@belfry/internal/testing';
import { PgLocking, type PgLockingOptions } from '../src/index.js';

/** Everything a user could see: messages, causes and stacks of errors, console lines. */
const seen: string[] = [];

function record(value: unknown, depth = 0): void {
  if (depth > 5 || value === undefined || value === null) return;
  if (value instanceof Error) {
    seen.push(value.message, String(value.stack));
    record(value.cause, depth + 1);
  } else {
    seen.push(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  }
}

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

async function exercise(options: PgLockingOptions): Promise<'refused' | 'constructed'> {
  let locking: PgLocking;
  try {
    locking = new PgLocking({ timeoutMs: 1000, ...options });
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid_argument' });
    record(error);
    return 'refused';
  }
  try {
    for (const call of [() => locking.setup(), () => locking.tryLock('job', 1000), () => locking.renew(handle), () => locking.release(handle)]) {
      await call().catch(record);
    }
  } finally {
    await locking.cleanup();
  }
  return 'constructed';
}

describe('no password in any message or log line', () => {
  for (const mode of ['lease', 'advisory'] as const) {
    it(`${mode}: every hostile connection string is refused, or fails without showing its password, also in a pool passed in`, async () => {
      const outcomes: Record<string, string> = {};
      for (const url of hostilePgUrls) {
        outcomes[url] = await exercise({ connectionString: url, mode });
        const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 1000 });
        pool.on('error', (error) => record(error));
        try {
          await exercise({ pool, mode });
        } finally {
          await pool.end().catch(record);
        }
      }
      // The malformed ones never reach pg, which would take part of them for a host name and print it.
      for (const url of ['postgres:/postgres:s3cret-PW@127.0.0.1:7599/test', 'postgres:postgres:s3cret-PW@127.0.0.1:7599/test', 'postgres//u:s3cret-PW@127.0.0.1/test']) {
        expect(outcomes[url], url).toBe('refused');
      }
      expect(outcomes['postgres://nobody:s3cret-PW@127.0.0.1:5432/test']).toBe('constructed');
      expect(seen.length).toBeGreaterThan(hostilePgUrls.length);
      const leaks = seen.filter((text) => text.includes('s3cret') || text.includes(HOSTILE_PASSWORD));
      expect(leaks).toEqual([]);
    }, 60_000);
  }
});
