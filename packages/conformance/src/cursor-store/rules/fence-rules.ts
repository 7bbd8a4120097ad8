import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { CursorStoreContext } from '../cursor-store-context.js';
import { sameJson, show } from '../cursor-steps.js';

/** How fences decide which save wins. */
export const fenceRules: Rule<CursorStoreContext>[] = [
  {
    id: 'CURSOR-003',
    sentence: 'a save with a higher fence replaces the cursor',
    async run({ store }) {
      await store.save('job-a', 1, 5);
      check((await store.save('job-a', 2, 6)) === 'saved', 'a save with a higher fence was not "saved"');
      check(sameJson(await store.load('job-a'), { cursor: 2, fence: 6 }), 'the higher fence did not replace the cursor');
    },
  },
  {
    id: 'CURSOR-004',
    sentence: 'a save whose fence is below the stored one returns "stale" and changes nothing',
    async run({ store }) {
      await store.save('job-a', 'new', 9);
      check((await store.save('job-a', 'old', 8)) === 'stale', 'a save with a lower fence was not refused as "stale"');
      check(sameJson(await store.load('job-a'), { cursor: 'new', fence: 9 }), 'a stale save changed the stored cursor');
    },
  },
  {
    id: 'CURSOR-005',
    sentence: 'a save with the same fence as the stored one replaces the cursor (the same run saving again)',
    async run({ store }) {
      await store.save('job-a', 'first', 4);
      check((await store.save('job-a', 'retry', 4)) === 'saved', 'a save with an equal fence was not "saved"');
      check(sameJson(await store.load('job-a'), { cursor: 'retry', fence: 4 }), 'an equal-fence save did not replace the cursor');
    },
  },
  {
    id: 'CURSOR-010',
    sentence: "concurrent saves of one job with different fences leave the highest fence's cursor",
    async run({ store }) {
      const fences = [3, 9, 1, 7, 5, 8, 2];
      await Promise.all(fences.map((fence) => store.save('job-a', `from ${fence}`, fence)));
      const loaded = await store.load('job-a');
      check(sameJson(loaded, { cursor: 'from 9', fence: 9 }), `after concurrent saves load returned ${show(loaded)}`);
    },
  },
  {
    id: 'CURSOR-011',
    sentence: 'a reopened store loads what was saved, and still refuses a lower fence',
    requires: ['persistent'],
    async run({ store, reopen }) {
      await store.save('job-a', { page: 2 }, 6);
      const reopened = await reopen();
      check(sameJson(await reopened.load('job-a'), { cursor: { page: 2 }, fence: 6 }), 'the reopened store did not load the saved cursor');
      check((await reopened.save('job-a', { page: 1 }, 5)) === 'stale', 'the reopened store accepted a lower fence');
    },
  },
];
