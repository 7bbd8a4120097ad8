import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { CursorStoreContext } from '../cursor-store-context.js';
import { mustRejectInvalid, show } from '../cursor-steps.js';

/** Bad arguments are refused loudly and leave nothing behind. */
export const argumentRules: Rule<CursorStoreContext>[] = [
  {
    id: 'CURSOR-009',
    sentence:
      'bad arguments (a job id outside ^[a-z0-9][a-z0-9_.-]{0,127}$, a fence that is not a non-negative integer, a cursor that is not JSON) reject with invalid_argument naming the value, and store nothing',
    async run({ store }) {
      for (const [jobId, shown] of [['', '""'], ['../etc', '"../etc"'], ['UPPER', '"UPPER"'], [42, '42']] as const) {
        await mustRejectInvalid(() => store.save(jobId as string, 1, 1), shown, `save(${show(jobId)}, …)`);
        await mustRejectInvalid(() => store.load(jobId as string), shown, `load(${show(jobId)})`);
      }
      for (const [fence, shown] of [[-1, '-1'], [1.5, '1.5'], [Number.NaN, 'NaN'], ['3', '"3"']] as const) {
        await mustRejectInvalid(() => store.save('job-a', 1, fence as number), shown, `save with fence ${String(fence)}`);
      }
      const cursors = [[undefined, 'undefined'], [{ n: 1n }, 'bigint'], [{ x: Number.POSITIVE_INFINITY }, 'Infinity'], [() => 1, 'function']] as const;
      for (const [cursor, shown] of cursors) {
        await mustRejectInvalid(() => store.save('job-a', cursor as never, 1), shown, `save with cursor ${shown}`);
      }
      check((await store.load('job-a')) === null, 'a rejected save stored something');
    },
  },
];
