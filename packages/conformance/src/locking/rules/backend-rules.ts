import type { LockHandle } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf } from '../../core/check.js';
import { withTimeout } from '../../core/with-timeout.js';
import type { LockingContext } from '../locking-context.js';

/** Runs `call` and returns how it settled and how long it took, giving up at 4× the bound. */
async function settle(call: () => Promise<unknown>, boundMs: number): Promise<{ outcome: 'resolved' | 'rejected'; value: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await withTimeout(Promise.resolve().then(call), boundMs * 4, `did not settle within ${boundMs * 4} ms: it hangs`);
    return { outcome: 'resolved', value, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && error.message.includes('it hangs')) throw error;
    return { outcome: 'rejected', value: error, ms: performance.now() - started };
  }
}

export const backendRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-023',
    sentence: 'when the server is unreachable, tryLock rejects with lock_backend within the bound instead of hanging or resolving null',
    requires: ['unreachable'],
    async run({ unreachable, unreachableBoundMs, ttlMs }) {
      const dead = await unreachable();
      const { outcome, value, ms } = await settle(() => dead.tryLock('job', ttlMs), unreachableBoundMs);
      check(outcome === 'rejected', `tryLock resolved ${JSON.stringify(value)} against an unreachable server`);
      check(codeOf(value) === 'lock_backend', `tryLock rejected with ${codeOf(value) ?? String(value)} instead of lock_backend`);
      check(ms <= unreachableBoundMs, `tryLock took ${Math.round(ms)} ms to reject, over the bound of ${unreachableBoundMs} ms`);
    },
  },
  {
    id: 'LOCK-024',
    sentence: 'when the server is unreachable, renew rejects and release settles within the bound',
    requires: ['unreachable'],
    async run({ unreachable, unreachableBoundMs, ttlMs }) {
      const dead = await unreachable();
      const handle: LockHandle = { key: 'job', lockId: 'a'.repeat(32), ttlMs, fence: 1 };
      const renew = await settle(() => dead.renew(handle), unreachableBoundMs);
      check(renew.outcome === 'rejected', 'renew resolved against an unreachable server');
      check(renew.ms <= unreachableBoundMs, `renew took ${Math.round(renew.ms)} ms to reject, over the bound of ${unreachableBoundMs} ms`);
      const release = await settle(() => dead.release(handle), unreachableBoundMs);
      check(release.ms <= unreachableBoundMs, `release took ${Math.round(release.ms)} ms to settle, over the bound of ${unreachableBoundMs} ms`);
    },
  },
];
