import type { Rule } from '../../core/rule.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { filled, mustBeAbsent, mustList, mustLoad } from '../store-steps.js';

/** Ids that a careless store could confuse: case, punctuation, prefixes, separators. */
const neighbours = ['job', 'Job', 'JOB', 'job.a', 'job-a', 'job_a', 'joba', 'job.a.b', 'jo', 'job%2E'];

/** Ids that must survive a file system, a URL or a key scheme unchanged; none collide by case. */
const unusual = [
  'plugin/with/slashes',
  '../escape',
  '..',
  '.hidden',
  'with space',
  'per%cent',
  'back\\slash',
  'colon:and*star?',
  'ünïcødé-名前',
  'emoji-🔔',
  'x'.repeat(128),
];

export const isolationRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-006',
    sentence: 'ids are isolated: saving, overwriting or deleting one never touches another, even one differing only by case, punctuation or a prefix',
    async run({ store }) {
      for (const [i, id] of neighbours.entries()) await store.save(filled(id, i + 1, 20 + i, i));
      for (const [i, id] of neighbours.entries()) await mustLoad(store, filled(id, i + 1, 20 + i, i), 'after saving every id');
      await store.save(filled('job', 50, 7, 200));
      await store.delete('Job');
      await mustLoad(store, filled('job', 50, 7, 200), 'after overwriting "job" and deleting "Job"');
      await mustBeAbsent(store, 'Job', 'after deleting "Job"');
      for (const [i, id] of neighbours.entries()) {
        if (id !== 'job' && id !== 'Job') await mustLoad(store, filled(id, i + 1, 20 + i, i), 'after changing "job" and "Job"');
      }
      await mustList(store, neighbours.filter((id) => id !== 'Job'), 'after changing "job" and "Job"');
    },
  },
  {
    id: 'STORE-007',
    sentence: 'unusual ids (slashes, "..", leading dots, spaces, percent signs, unicode, emoji, 128 characters) save, load, list and delete like any other',
    async run({ store }) {
      for (const [i, id] of unusual.entries()) await store.save(filled(id, i + 1, 10, i));
      for (const [i, id] of unusual.entries()) await mustLoad(store, filled(id, i + 1, 10, i), 'after saving every unusual id');
      await mustList(store, unusual, 'after saving every unusual id');
      for (const id of unusual) await store.delete(id);
      await mustList(store, [], 'after deleting every unusual id');
      for (const id of unusual) await mustBeAbsent(store, id, 'after deleting every unusual id');
    },
  },
];
