import type { LockHandle } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf } from '../../core/check.js';
import { withTimeout } from '../../core/with-timeout.js';
import { CONTRACT_MAX_CALL_MS } from '../locking-claims.js';
import type { LockingContext } from '../locking-context.js';

/** Marks the hang guard's own rejection, so it is not mistaken for the call's. */
const HANG = 'a call hung';

/**
 * Runs `call` and returns how it settled and how long it took. Gives up at
 * 10× the bound — only a guard against a hang; the bound itself is checked
 * by the rules.
 */
async function settle(call: () => Promise<unknown>, boundMs: number): Promise<{ outcome: 'resolved' | 'rejected'; value: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await withTimeout(Promise.resolve().then(call), boundMs * 10, `did not settle within ${boundMs * 10} ms: ${HANG}`);
    return { outcome: 'resolved', value, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && error.message.endsWith(HANG)) throw error;
    return { outcome: 'rejected', value: error, ms: performance.now() - started };
  }
}

function checkWithin(ms: number, maxCallMs: number, what: string): void {
  check(ms <= maxCallMs, `${what} took ${Math.round(ms)} ms, over the declared maxCallMs of ${maxCallMs} ms`);
}

export const backendRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-023',
    sentence: 'when the server is unreachable, tryLock rejects with lock_backend within the declared maxCallMs instead of hanging or resolving null',
    requires: ['unreachable'],
    async run({ unreachable, maxCallMs, ttlMs }) {
      const dead = await unreachable();
      const { outcome, value, ms } = await settle(() => dead.tryLock('job', ttlMs), maxCallMs);
      check(outcome === 'rejected', `tryLock resolved ${JSON.stringify(value)} against an unreachable server`);
      check(codeOf(value) === 'lock_backend', `tryLock rejected with ${codeOf(value) ?? String(value)} instead of lock_backend`);
      checkWithin(ms, maxCallMs, 'tryLock against an unreachable server');
    },
  },
  {
    id: 'LOCK-024',
    sentence: 'when the server is unreachable, renew rejects and release settles within the declared maxCallMs',
    requires: ['unreachable'],
    async run({ unreachable, maxCallMs, ttlMs }) {
      const dead = await unreachable();
      const handle: LockHandle = { key: 'job', lockId: 'a'.repeat(32), ttlMs, fence: 1 };
      const renew = await settle(() => dead.renew(handle), maxCallMs);
      check(renew.outcome === 'rejected', 'renew resolved against an unreachable server');
      checkWithin(renew.ms, maxCallMs, 'renew against an unreachable server');
      const release = await settle(() => dead.release(handle), maxCallMs);
      checkWithin(release.ms, maxCallMs, 'release against an unreachable server');
    },
  },
  {
    id: 'LOCK-025',
    sentence: `the declared maxCallMs, the bound every call settles within, is at most ${CONTRACT_MAX_CALL_MS} ms`,
    async run({ maxCallMs }) {
      check(
        maxCallMs <= CONTRACT_MAX_CALL_MS,
        `maxCallMs is ${maxCallMs} ms: the contract promises every call settles within ${CONTRACT_MAX_CALL_MS} ms with the default settings`,
      );
    },
  },
];
