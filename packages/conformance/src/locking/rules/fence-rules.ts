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
];
