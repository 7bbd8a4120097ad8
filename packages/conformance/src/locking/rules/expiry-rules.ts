import type { Rule } from '../../core/rule.js';
import { sleep } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustBeHeld, mustLock } from '../lock-steps.js';

export const expiryRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-004',
    sentence: 'a lock is still held while its TTL has not passed',
    async run({ locking, ttlMs }) {
      await mustLock(locking, 'job', ttlMs, 'take the lock');
      await sleep(ttlMs / 3);
      await mustBeHeld(locking, 'job', ttlMs, `a third of the TTL later`);
    },
  },
  {
    id: 'LOCK-005',
    sentence: 'a lock expires once its TTL has passed, and another caller can then take the key',
    async run({ locking, ttlMs, expiryWaitMs }) {
      await mustLock(locking, 'job', ttlMs, 'take the lock');
      await sleep(expiryWaitMs);
      await mustLock(locking, 'job', ttlMs, `${expiryWaitMs} ms later, after the TTL of ${ttlMs} ms`);
    },
  },
];
