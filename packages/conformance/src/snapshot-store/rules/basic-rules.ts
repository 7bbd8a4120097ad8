import type { Rule } from '../../core/rule.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { filled, mustBeAbsent, mustList, mustLoad } from '../store-steps.js';

export const basicRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-001',
    sentence: 'a fresh store lists no ids, and load of an id never saved resolves null',
    async run({ store }) {
      await mustList(store, [], 'fresh store');
      await mustBeAbsent(store, 'never-saved', 'fresh store');
    },
  },
  {
    id: 'STORE-002',
    sentence: 'a saved snapshot loads back with the same id, version and bytes, the bytes in a Uint8Array',
    async run({ store }) {
      const snapshot = { id: 'counter', version: 3, bytes: new Uint8Array([0, 1, 2, 3, 254, 255]) };
      await store.save(snapshot);
      await mustLoad(store, snapshot, 'after save');
      await mustLoad(store, snapshot, 'second load');
    },
  },
  {
    id: 'STORE-003',
    sentence: 'saving an id again replaces its version and bytes, longer or shorter',
    async run({ store }) {
      await store.save(filled('job', 1, 64, 1));
      await store.save(filled('job', 2, 4096, 2));
      await mustLoad(store, filled('job', 2, 4096, 2), 'after a longer overwrite');
      await store.save(filled('job', 1, 3, 3));
      await mustLoad(store, filled('job', 1, 3, 3), 'after a shorter overwrite with a lower version');
    },
  },
  {
    id: 'STORE-004',
    sentence: 'delete removes the snapshot from load and list, and deleting an id that is not stored resolves',
    async run({ store }) {
      await store.save(filled('gone', 1, 10, 7));
      await store.save(filled('kept', 1, 10, 8));
      await store.delete('gone');
      await mustBeAbsent(store, 'gone', 'after delete');
      await mustList(store, ['kept'], 'after delete');
      await store.delete('gone');
      await store.delete('never-saved');
      await mustList(store, ['kept'], 'after deleting absent ids');
      await store.save(filled('gone', 2, 5, 9));
      await mustLoad(store, filled('gone', 2, 5, 9), 'saved again after delete');
    },
  },
  {
    id: 'STORE-005',
    sentence: 'list resolves every saved id exactly once, however often each was overwritten',
    async run({ store }) {
      const ids = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
      for (const [i, id] of ids.entries()) await store.save(filled(id, 1, 16, i));
      for (const id of ids.slice(0, 3)) await store.save(filled(id, 2, 32, 99));
      await store.save(filled('alpha', 3, 8, 100));
      await mustList(store, ids, 'after saves and overwrites');
    },
  },
];
