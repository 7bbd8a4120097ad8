import { describe, expect, test } from 'vitest';
import { PgControl, PgPresence, PgRunHistory } from '../src/index.js';
import { DATABASE_URL } from './support/database.js';

const url = DATABASE_URL;

describe('options of the cluster stores', () => {
  test.each<[string, () => unknown, string]>([
    ['PgRunHistory without options', () => new PgRunHistory(undefined as never), 'PgRunHistory options must be an object with "pool" or "connectionString" (got undefined)'],
    ['PgRunHistory with a quoted table name', () => new PgRunHistory({ connectionString: url, table: 'runs"; DROP TABLE x; --' }), 'PgRunHistory option "table" must be a plain identifier'],
    ['PgRunHistory with maxRuns 0', () => new PgRunHistory({ connectionString: url, maxRuns: 0 }), 'options.maxRuns'],
    ['PgRunHistory with a fractional maxAgeMs', () => new PgRunHistory({ connectionString: url, maxAgeMs: 1.5 }), '1.5'],
    ['PgRunHistory with both pool and URL', () => new PgRunHistory({ connectionString: url, pool: {} as never }), 'PgRunHistory needs exactly one of the options "pool" or "connectionString" (got pool and connectionString)'],
    ['PgPresence with a table of 64 characters', () => new PgPresence({ connectionString: url, table: 'n'.repeat(64) }), 'PgPresence option "table" must be a plain identifier'],
    ['PgPresence with a zero timeout', () => new PgPresence({ connectionString: url, timeoutMs: 0 }), 'PgPresence option "timeoutMs" must be a positive integer number of milliseconds (got 0)'],
    ['PgControl with listen "yes"', () => new PgControl({ connectionString: url, listen: 'yes' as never }), 'PgControl option "listen" must be true or false (got "yes"'],
    ['PgControl with pollIntervalMs 5', () => new PgControl({ connectionString: url, pollIntervalMs: 5 }), 'PgControl option "pollIntervalMs" must be an integer number of milliseconds, at least 10 (got 5)'],
    ['PgControl with a logger without warn', () => new PgControl({ connectionString: url, logger: {} as never }), 'PgControl option "logger" must be a Logger with warn()'],
    ['PgControl with a URL of another scheme', () => new PgControl({ connectionString: 'redis://127.0.0.1:6379' }), 'PgControl option "connectionString" must be a postgres:// or postgresql:// URL'],
  ])('%s is refused with invalid_argument naming the option', (_, make, message) => {
    expect(make).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(message) }));
  });

  test('retention defaults to 10,000 runs and 7 days', async () => {
    const history = new PgRunHistory({ connectionString: url });
    expect([history.maxRuns, history.maxAgeMs]).toEqual([10_000, 7 * 24 * 60 * 60 * 1000]);
    await history.close();
  });
});
