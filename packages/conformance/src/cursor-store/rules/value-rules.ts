import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { CursorStoreContext } from '../cursor-store-context.js';
import { sameJson, show } from '../cursor-steps.js';

/** What goes in comes out, per job, as a copy. */
export const valueRules: Rule<CursorStoreContext>[] = [
  {
    id: 'CURSOR-001',
    sentence: 'loading a job that never saved returns null',
    async run({ store }) {
      check((await store.load('never-saved')) === null, 'load of an unknown job did not return null');
    },
  },
  {
    id: 'CURSOR-002',
    sentence: 'a saved cursor loads back with its fence',
    async run({ store }) {
      check((await store.save('job-a', { page: 3, etag: 'x' }, 5)) === 'saved', 'a first save did not return "saved"');
      const loaded = await store.load('job-a');
      check(sameJson(loaded, { cursor: { page: 3, etag: 'x' }, fence: 5 }), `load returned ${show(loaded)}`);
    },
  },
  {
    id: 'CURSOR-006',
    sentence: "jobs are independent: one job's cursor and fence never affect another's",
    async run({ store }) {
      await store.save('job-a', 'a', 100);
      check((await store.save('job-b', 'b', 1)) === 'saved', 'a low fence on another job was refused');
      check(sameJson(await store.load('job-a'), { cursor: 'a', fence: 100 }), 'job-a changed when job-b saved');
      check(sameJson(await store.load('job-b'), { cursor: 'b', fence: 1 }), 'job-b did not load what it saved');
    },
  },
  {
    id: 'CURSOR-007',
    sentence: 'a null cursor is stored and loads as { cursor: null }, distinct from never saved',
    async run({ store }) {
      await store.save('job-a', null, 0);
      const loaded = await store.load('job-a');
      check(sameJson(loaded, { cursor: null, fence: 0 }), `a saved null cursor loaded as ${show(loaded)}, not { cursor: null, fence: 0 }`);
    },
  },
  {
    id: 'CURSOR-008',
    sentence: 'the store keeps copies: changing a saved or loaded object afterwards changes nothing stored',
    async run({ store }) {
      const cursor = { seen: ['a'] };
      await store.save('job-a', cursor, 1);
      cursor.seen.push('mutated');
      const loaded = await store.load('job-a');
      (loaded?.cursor as { seen: string[] } | undefined)?.seen?.push('mutated too');
      check(sameJson(await store.load('job-a'), { cursor: { seen: ['a'] }, fence: 1 }), 'a change to a saved or loaded object reached the store');
    },
  },
  {
    id: 'CURSOR-012',
    sentence: 'any JSON cursor round-trips exactly: nested objects, arrays, unicode, large and negative numbers',
    async run({ store }) {
      const cursor = { list: [1, -2.5, 2 ** 53 - 1, true, null, 'ünï😀\n"'], nested: { a: { b: { c: [] } } }, empty: {} };
      await store.save('job-a', cursor, 1);
      const loaded = await store.load('job-a');
      check(sameJson(loaded?.cursor, cursor), `the loaded cursor ${show(loaded?.cursor)} differs from the saved one`);
    },
  },
];
