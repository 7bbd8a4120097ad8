import type { Rule } from '../../core/rule.js';
import { check, sleep } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustLock } from '../lock-steps.js';

export const fenceRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-014',
    sentence: 'fences are safe integers that strictly increase across successive holders of a key, whether the previous holder released or expired',
    requires: ['fences'],
    async run({ locking, ttlMs, expiryWaitMs }) {
      const fences: unknown[] = [];
      const released = await mustLock(locking, 'job', ttlMs, 'first holder');
      fences.push(released.fence);
      await locking.release(released);
      const expiring = await mustLock(locking, 'job', ttlMs, 'second holder after release');
      fences.push(expiring.fence);
      await mustLock(locking, 'other-key', ttlMs, 'an unrelated key');
      await sleep(expiryWaitMs);
      const third = await mustLock(locking, 'job', ttlMs, 'third holder after expiry');
      fences.push(third.fence);
      for (const fence of fences) check(Number.isSafeInteger(fence), `fence ${String(fence)} is not a safe integer`);
      const [a, b, c] = fences as number[];
      check(a! < b! && b! < c!, `fences ${fences.join(', ')} do not strictly increase`);
    },
  },
  {
    id: 'LOCK-027',
    sentence: 'keys locked with one fenceKey get fences that strictly increase across successive holders of any of those keys',
    requires: ['fences', 'fenceKey'],
    async run({ locking, ttlMs }) {
      const fences: unknown[] = [];
      for (const key of ['run:1', 'run:2', 'run:1', 'run:3']) {
        const handle = await mustLock(locking, key, ttlMs, `lock ${key} with fenceKey "schedule"`, { fenceKey: 'schedule' });
        fences.push(handle.fence);
        await locking.release(handle);
      }
      for (const fence of fences) check(Number.isSafeInteger(fence), `fence ${String(fence)} is not a safe integer`);
      const increasing = (fences as number[]).every((fence, i, all) => i === 0 || fence > all[i - 1]!);
      check(increasing, `fences ${fences.join(', ')} of run:1, run:2, run:1, run:3 under one fenceKey do not strictly increase`);
    },
  },
];
