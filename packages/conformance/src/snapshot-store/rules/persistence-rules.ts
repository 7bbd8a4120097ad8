import type { Rule } from '../../core/rule.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { filled, mustBeAbsent, mustList, mustLoad } from '../store-steps.js';

export const persistenceRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-013',
    sentence: 'a new instance over the same storage sees every save, overwrite and delete the previous one made (`persistent`)',
    requires: ['persistent'],
    async run({ store, reopen }) {
      await store.save(filled('kept', 1, 100, 1));
      await store.save(filled('replaced', 1, 100, 2));
      await store.save(filled('replaced', 2, 50, 3));
      await store.save(filled('removed', 1, 100, 4));
      await store.delete('removed');
      const again = await reopen();
      await mustLoad(again, filled('kept', 1, 100, 1), 'after reopening');
      await mustLoad(again, filled('replaced', 2, 50, 3), 'after reopening');
      await mustBeAbsent(again, 'removed', 'after reopening');
      await mustList(again, ['kept', 'replaced'], 'after reopening');
    },
  },
];
