import type { LockingPlugin } from '@belfry/plugin-api';
import type { RuleHarness } from '../core/harness.js';
import { assertKnownKeys } from '../core/assert-known-keys.js';
import { lockingClaims, type LockingClaims } from './locking-claims.js';
import type { LockingConformance } from './locking-conformance.js';
import type { LockingContext } from './locking-context.js';

/**
 * Builds a fresh LockingContext per rule and disposes of every instance it
 * made. `probed` is what an instance created beforehand declared; without
 * it, flags that the backend's `supports` decides are settled per rule.
 */
export function lockingHarness(target: LockingConformance, probed?: LockingClaims): RuleHarness<LockingContext> {
  const { factory } = target;
  assertKnownKeys(target.timing, ['ttlMs'], `${target.name}: timing`);
  const ttlMs = target.timing?.ttlMs ?? 600;
  const upFront = probed ?? lockingClaims(target);
  return {
    ruleTimeoutMs: Math.max(15_000, ttlMs * 10, upFront.maxCallMs * 40),
    claims: (capability) => !(capability in upFront.notClaimed),
    notClaimedReason: (capability) => upFront.notClaimed[capability as keyof LockingClaims['notClaimed']] ?? capability,
    async open() {
      const made: LockingPlugin[] = [];
      const track = (locking: LockingPlugin): LockingPlugin => {
        made.push(locking);
        return locking;
      };
      const close = async (): Promise<void> => {
        for (const instance of made.reverse()) await factory.destroy?.(instance);
      };
      const locking = track(await factory.create());
      let claims: LockingClaims;
      try {
        claims = lockingClaims(target, locking);
      } catch (error) {
        await close();
        throw error;
      }
      const context: LockingContext = {
        locking,
        peer: async () => track(await factory.createPeer!(locking)),
        unreachable: async () => track(await factory.createUnreachable!()),
        ttlMs,
        expiryWaitMs: ttlMs + Math.max(300, ttlMs / 2),
        maxCallMs: claims.maxCallMs,
        maxKeyLength: claims.maxKeyLength,
      };
      return { context, close, notClaimed: (capability) => claims.notClaimed[capability as keyof LockingClaims['notClaimed']] };
    },
  };
}
