import type { CursorStore } from '@belfry/plugin-api';

/** A store under test and how to get a fresh one. */
export interface CursorStoreTarget {
  name: string;
  /** A fresh, empty store per rule. */
  create(): CursorStore | Promise<CursorStore>;
  /** A new instance over the same data, for stores that persist (claims CURSOR-011). */
  reopen?(store: CursorStore): CursorStore | Promise<CursorStore>;
  /** Frees what `create` made. */
  destroy?(store: CursorStore): void | Promise<void>;
}

/** One statement of the cursor store contract. */
export interface CursorStoreRule {
  /** Stable id, `CURSOR-001`…; never reused for a different statement. */
  id: string;
  sentence: string;
  /** True when the rule needs `reopen`. */
  persistent?: boolean;
  run(store: CursorStore, target: CursorStoreTarget): Promise<void>;
}

/** The parts of a test runner the rules use; vitest, jest, node:test and mocha fit. */
export interface CursorStoreTestApi {
  test(name: string, fn: () => Promise<void>, timeoutMs?: number): unknown;
  describe?(name: string, fn: () => void): unknown;
}

function check(condition: boolean, reason: string): void {
  if (!condition) throw new Error(reason);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

async function expectInvalid(call: () => Promise<unknown>, shownAs: string, what: string): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (thrown) {
    error = thrown;
  }
  check(error !== undefined, `${what} resolved instead of rejecting with invalid_argument`);
  check((error as { code?: unknown }).code === 'invalid_argument', `${what} rejected with ${show((error as { code?: unknown }).code)} instead of invalid_argument`);
  const message = error instanceof Error ? error.message : '';
  check(message.includes(shownAs), `${what}: the message ${show(message)} does not name the bad value ${shownAs}`);
}

/** Every cursor store rule, in id order. */
export const cursorStoreRules: readonly CursorStoreRule[] = [
  {
    id: 'CURSOR-001',
    sentence: 'loading a job that never saved returns null',
    async run(store) {
      check((await store.load('never-saved')) === null, 'load of an unknown job did not return null');
    },
  },
  {
    id: 'CURSOR-002',
    sentence: 'a saved cursor loads back with its fence',
    async run(store) {
      check((await store.save('job-a', { page: 3, etag: 'x' }, 5)) === 'saved', 'a first save did not return "saved"');
      const loaded = await store.load('job-a');
      check(same(loaded, { cursor: { page: 3, etag: 'x' }, fence: 5 }), `load returned ${show(loaded)}`);
    },
  },
  {
    id: 'CURSOR-003',
    sentence: 'a save with a higher fence replaces the cursor',
    async run(store) {
      await store.save('job-a', 1, 5);
      check((await store.save('job-a', 2, 6)) === 'saved', 'a save with a higher fence was not "saved"');
      check(same(await store.load('job-a'), { cursor: 2, fence: 6 }), 'the higher fence did not replace the cursor');
    },
  },
  {
    id: 'CURSOR-004',
    sentence: 'a save whose fence is below the stored one returns "stale" and changes nothing',
    async run(store) {
      await store.save('job-a', 'new', 9);
      check((await store.save('job-a', 'old', 8)) === 'stale', 'a save with a lower fence was not refused as "stale"');
      check(same(await store.load('job-a'), { cursor: 'new', fence: 9 }), 'a stale save changed the stored cursor');
    },
  },
  {
    id: 'CURSOR-005',
    sentence: 'a save with the same fence as the stored one replaces the cursor (the same run saving again)',
    async run(store) {
      await store.save('job-a', 'first', 4);
      check((await store.save('job-a', 'retry', 4)) === 'saved', 'a save with an equal fence was not "saved"');
      check(same(await store.load('job-a'), { cursor: 'retry', fence: 4 }), 'an equal-fence save did not replace the cursor');
    },
  },
  {
    id: 'CURSOR-006',
    sentence: 'jobs are independent: one job\'s cursor and fence never affect another\'s',
    async run(store) {
      await store.save('job-a', 'a', 100);
      check((await store.save('job-b', 'b', 1)) === 'saved', 'a low fence on another job was refused');
      check(same(await store.load('job-a'), { cursor: 'a', fence: 100 }), 'job-a changed when job-b saved');
      check(same(await store.load('job-b'), { cursor: 'b', fence: 1 }), 'job-b did not load what it saved');
    },
  },
  {
    id: 'CURSOR-007',
    sentence: 'a null cursor is stored and loads as { cursor: null }, distinct from never saved',
    async run(store) {
      await store.save('job-a', null, 0);
      check(same(await store.load('job-a'), { cursor: null, fence: 0 }), 'a saved null cursor did not load back as { cursor: null, fence: 0 }');
    },
  },
  {
    id: 'CURSOR-008',
    sentence: 'the store keeps copies: changing a saved or loaded object afterwards changes nothing stored',
    async run(store) {
      const cursor = { seen: ['a'] };
      await store.save('job-a', cursor, 1);
      cursor.seen.push('mutated');
      const loaded = await store.load('job-a');
      (loaded?.cursor as { seen: string[] }).seen.push('mutated too');
      check(same(await store.load('job-a'), { cursor: { seen: ['a'] }, fence: 1 }), 'a change to a saved or loaded object reached the store');
    },
  },
  {
    id: 'CURSOR-009',
    sentence: 'bad arguments (a job id outside ^[a-z0-9][a-z0-9_.-]{0,127}$, a fence that is not a non-negative integer, a cursor that is not JSON) reject with invalid_argument naming the value, and store nothing',
    async run(store) {
      for (const [jobId, shown] of [['', '""'], ['../etc', '"../etc"'], ['UPPER', '"UPPER"'], [42, '42']] as const) {
        await expectInvalid(() => store.save(jobId as string, 1, 1), shown, `save(${show(jobId)}, …)`);
        await expectInvalid(() => store.load(jobId as string), shown, `load(${show(jobId)})`);
      }
      for (const [fence, shown] of [[-1, '-1'], [1.5, '1.5'], [Number.NaN, 'NaN'], ['3', '"3"']] as const) {
        await expectInvalid(() => store.save('job-a', 1, fence as number), shown, `save with fence ${String(fence)}`);
      }
      for (const [cursor, shown] of [[undefined, 'undefined'], [{ n: 1n }, 'bigint'], [{ x: Number.POSITIVE_INFINITY }, 'Infinity'], [() => 1, 'function']] as const) {
        await expectInvalid(() => store.save('job-a', cursor as never, 1), shown, `save with cursor ${shown}`);
      }
      check((await store.load('job-a')) === null, 'a rejected save stored something');
    },
  },
  {
    id: 'CURSOR-010',
    sentence: 'concurrent saves of one job with different fences leave the highest fence\'s cursor',
    async run(store) {
      const fences = [3, 9, 1, 7, 5, 8, 2];
      await Promise.all(fences.map((fence) => store.save('job-a', `from ${fence}`, fence)));
      check(same(await store.load('job-a'), { cursor: 'from 9', fence: 9 }), `after concurrent saves load returned ${show(await store.load('job-a'))}`);
    },
  },
  {
    id: 'CURSOR-011',
    sentence: 'a reopened store loads what was saved, and still refuses a lower fence',
    persistent: true,
    async run(store, target) {
      await store.save('job-a', { page: 2 }, 6);
      const reopened = await target.reopen!(store);
      check(same(await reopened.load('job-a'), { cursor: { page: 2 }, fence: 6 }), 'the reopened store did not load the saved cursor');
      check((await reopened.save('job-a', { page: 1 }, 5)) === 'stale', 'the reopened store accepted a lower fence');
    },
  },
  {
    id: 'CURSOR-012',
    sentence: 'any JSON cursor round-trips exactly: nested objects, arrays, unicode, large and negative numbers',
    async run(store) {
      const cursor = { list: [1, -2.5, 2 ** 53 - 1, true, null, 'ünï😀\n"'], nested: { a: { b: { c: [] } } }, empty: {} };
      await store.save('job-a', cursor, 1);
      check(same((await store.load('job-a'))?.cursor, cursor), 'the loaded cursor differs from the saved one');
    },
  },
];

/** Registers one test per rule, named `<id>: <sentence>`; rules needing `reopen` are skipped by declaration when the target has none. */
export function cursorStoreSuite(api: CursorStoreTestApi, target: CursorStoreTarget): void {
  const register = (): void => {
    for (const rule of cursorStoreRules) {
      if (rule.persistent === true && target.reopen === undefined) continue;
      api.test(`${rule.id}: ${rule.sentence}`, async () => {
        const store = await target.create();
        try {
          await rule.run(store, target);
        } catch (error) {
          throw new Error(`${rule.id} failed for ${target.name}: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          await target.destroy?.(store);
        }
      });
    }
  };
  if (api.describe === undefined) register();
  else api.describe(`${target.name} — cursor store rules`, register);
}
