import type { Rule } from '../../core/rule.js';
import { sleep } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { forgedLockId, mustBeHeld, mustLock } from '../lock-steps.js';

export const releaseRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-006',
    sentence: 'release frees the key at once',
    async run({ locking, ttlMs }) {
      const handle = await mustLock(locking, 'job', ttlMs * 10, 'take the lock');
      await locking.release(handle);
      await mustLock(locking, 'job', ttlMs, 'right after release');
    },
  },
  {
    id: 'LOCK-007',
    sentence: "release with a stale handle, after expiry and takeover, is a silent no-op that leaves the new holder's lock in place",
    async run({ locking, ttlMs, expiryWaitMs }) {
      const stale = await mustLock(locking, 'job', ttlMs, 'first holder');
      await sleep(expiryWaitMs);
      const fresh = await mustLock(locking, 'job', ttlMs * 10, 'second holder after expiry');
      await locking.release(stale);
      await mustBeHeld(locking, 'job', ttlMs, 'after the stale release');
      await locking.renew(fresh);
    },
  },
  {
    id: 'LOCK-008',
    sentence: 'release with a forged handle (the right key, a made-up lockId) resolves and leaves the lock in place',
    async run({ locking, ttlMs }) {
      const real = await mustLock(locking, 'job', ttlMs * 10, 'take the lock');
      await locking.release({ ...real, lockId: forgedLockId(real.lockId) });
      await mustBeHeld(locking, 'job', ttlMs, 'after the forged release');
    },
  },
  {
    id: 'LOCK-009',
    sentence: "releasing a handle a second time, after someone else took the key, resolves and never frees the new holder's lock",
    async run({ locking, ttlMs }) {
      const first = await mustLock(locking, 'job', ttlMs * 10, 'first holder');
      await locking.release(first);
      await mustLock(locking, 'job', ttlMs * 10, 'second holder');
      await locking.release(first);
      await mustBeHeld(locking, 'job', ttlMs, 'after the repeated release');
    },
  },
];
