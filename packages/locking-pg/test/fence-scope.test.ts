import { afterEach, describe, expect, it } from 'vitest';
import { PgLocking, PG_LOCK_MAX_KEY_LENGTH, type PgLockMode } from '../src/index.js';
import { DATABASE_URL, dropLockTable, uniqueName, withAdmin } from './database.js';

const opened: { locking: PgLocking; table: string }[] = [];

async function open(mode: PgLockMode): Promise<{ locking: PgLocking; table: string }> {
  const table = uniqueName('scope');
  const locking = new PgLocking({ connectionString: DATABASE_URL, mode, table, keyPrefix: `${table}:` });
  opened.push({ locking, table });
  await locking.setup();
  return { locking, table };
}

afterEach(async () => {
  await Promise.all(opened.map((o) => o.locking.cleanup()));
  for (const { table } of opened.splice(0)) {
    await dropLockTable(table);
    await withAdmin((admin) => admin.query(`DROP SEQUENCE IF EXISTS "${table}_fence_seq"`));
  }
});

const scope = { fenceKey: 'belfry:fence:reports:nightly' };

describe.each(['lease', 'advisory'] as const)('PgLocking fence scopes (%s mode)', (mode) => {
  it('fences strictly increase across three keys of one scope taken in turn', async () => {
    const { locking } = await open(mode);
    const fences: number[] = [];
    const take = async (key: string) => {
      const handle = await locking.tryLock(key, 5000, scope);
      expect(handle).not.toBeNull();
      fences.push(handle!.fence!);
      return handle!;
    };
    const one = await take('run:1');
    const two = await take('run:2');
    await locking.release(one);
    const three = await take('run:3');
    await locking.release(two);
    await take('run:1');
    await locking.release(three);
    await take('run:2');
    for (let index = 1; index < fences.length; index += 1) expect(fences[index]).toBeGreaterThan(fences[index - 1]!);
  });

  it.each([
    ['a string', 'reports', /tryLock options must be an object/],
    ['null', null, /tryLock options must be an object/],
    ['an empty fenceKey', { fenceKey: '' }, /"fenceKey" must be a non-empty string/],
    ['a numeric fenceKey', { fenceKey: 7 }, /"fenceKey" must be a non-empty string/],
    ['a fenceKey over the limit', { fenceKey: 'x'.repeat(PG_LOCK_MAX_KEY_LENGTH + 1) }, /"fenceKey" is 4097 characters long; the limit is 4096/],
  ])('tryLock rejects %s as options with invalid_argument', async (_, options, message) => {
    const { locking } = await open(mode);
    const attempt = locking.tryLock('run:1', 5000, options as never);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('PgLocking fence scopes (lease mode)', () => {
  it("a scope's fences keep increasing after its keys' leases expired: the sequence never expires", async () => {
    const { locking, table } = await open('lease');
    const first = await locking.tryLock('run:1', 5000, scope);
    await withAdmin((admin) => admin.query(`UPDATE "${table}" SET expires_at = clock_timestamp() - interval '1 millisecond'`));
    const taken = await locking.tryLock('run:1', 5000, scope);
    const second = await locking.tryLock('run:2', 5000, scope);
    expect(taken!.fence!).toBeGreaterThan(first!.fence!);
    expect(second!.fence!).toBeGreaterThan(taken!.fence!);
  });
});
