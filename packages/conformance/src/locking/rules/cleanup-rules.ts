import { randomBytes } from 'node:crypto';
import type { LockHandle } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf, rejectionOf } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustLock } from '../lock-steps.js';

/** How a message may say the backend was closed. */
const CLOSED = /\bclosed\b|\bcleaned up\b|\bcleanup\(\)/i;

async function expectClosed(call: () => Promise<unknown>, what: string): Promise<void> {
  const error = await rejectionOf(Promise.resolve().then(call), `${what} after cleanup() resolved instead of rejecting with lock_backend`);
  check(codeOf(error) === 'lock_backend', `${what} after cleanup() rejected with ${codeOf(error) ?? String(error)} instead of lock_backend`);
  const message = error instanceof Error ? error.message : '';
  check(CLOSED.test(message), `${what} after cleanup(): the message ${JSON.stringify(message)} does not say the backend was closed`);
}

export const cleanupRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-026',
    sentence: 'after cleanup(), tryLock, renew and release reject with lock_backend saying the backend was closed, and a second cleanup() resolves',
    requires: ['cleanup'],
    async run({ locking, ttlMs }) {
      const held = await mustLock(locking, 'job', ttlMs * 10, 'take the lock before cleanup()');
      const other: LockHandle = { key: 'other', lockId: randomBytes(16).toString('hex'), ttlMs };
      await locking.cleanup!();
      await expectClosed(() => locking.tryLock('fresh', ttlMs), 'tryLock');
      await expectClosed(() => locking.renew(held), 'renew');
      await expectClosed(() => locking.release(held), 'release');
      await expectClosed(() => locking.release(other), 'release of a handle it never gave');
      await locking.cleanup!();
    },
  },
];
