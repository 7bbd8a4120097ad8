import type { Rule } from '../../core/rule.js';
import { check, codeOf, rejectionOf, sleep } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustBeHeld, mustLock } from '../lock-steps.js';

function checkLostNotInvalid(error: unknown, step: string): void {
  check(codeOf(error) !== 'invalid_argument', `${step}: renew rejected with invalid_argument for a well-formed handle`);
}

export const renewRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-010',
    sentence: 'renew extends the lock: after renewing, it is still held past its original expiry',
    async run({ locking, ttlMs }) {
      const handle = await mustLock(locking, 'job', ttlMs, 'take the lock');
      await sleep(ttlMs * 0.6);
      await locking.renew(handle);
      await sleep(ttlMs * 0.6);
      await mustBeHeld(locking, 'job', ttlMs, `${Math.round(ttlMs * 1.2)} ms after taking it with a TTL of ${ttlMs} ms and renewing halfway`);
    },
  },
  {
    id: 'LOCK-011',
    sentence: 'renew after the TTL has passed rejects and does not revive the lock',
    async run({ locking, ttlMs, expiryWaitMs }) {
      const handle = await mustLock(locking, 'job', ttlMs, 'take the lock');
      await sleep(expiryWaitMs);
      const error = await rejectionOf(locking.renew(handle), 'renew of an expired lock resolved');
      checkLostNotInvalid(error, 'renew after expiry');
      await mustLock(locking, 'job', ttlMs, 'after the refused renew the key must be free');
    },
  },
  {
    id: 'LOCK-012',
    sentence: "renew after another caller took the key over rejects and leaves the new holder's lock in place",
    async run({ locking, ttlMs, expiryWaitMs }) {
      const stale = await mustLock(locking, 'job', ttlMs, 'first holder');
      await sleep(expiryWaitMs);
      const fresh = await mustLock(locking, 'job', ttlMs * 10, 'second holder after expiry');
      const error = await rejectionOf(locking.renew(stale), "renew with the first holder's handle resolved after takeover");
      checkLostNotInvalid(error, 'renew after takeover');
      await mustBeHeld(locking, 'job', ttlMs, 'after the refused renew');
      await locking.renew(fresh);
    },
  },
  {
    id: 'LOCK-013',
    sentence: 'renew after release rejects and leaves the key free',
    async run({ locking, ttlMs }) {
      const handle = await mustLock(locking, 'job', ttlMs * 10, 'take the lock');
      await locking.release(handle);
      const error = await rejectionOf(locking.renew(handle), 'renew of a released lock resolved');
      checkLostNotInvalid(error, 'renew after release');
      await mustLock(locking, 'job', ttlMs, 'after the refused renew the key must be free');
    },
  },
];
