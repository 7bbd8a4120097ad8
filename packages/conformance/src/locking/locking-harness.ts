import type { LockingPlugin } from '@belfry/plugin-api';
import type { RuleHarness } from '../core/harness.js';
import type { LockingConformance } from './locking-conformance.js';
import type { LockingContext } from './locking-context.js';

/** Builds a fresh LockingContext per rule and disposes of every instance it made. */
export function lockingHarness(target: LockingConformance): RuleHarness<LockingContext> {
  const { factory, capabilities } = target;
  const ttlMs = target.timing?.ttlMs ?? 600;
  const unreachableBoundMs = target.timing?.unreachableBoundMs ?? 2500;
  if (capabilities.peers === true && factory.createPeer === undefined) {
    throw new TypeError(`${target.name}: capability "peers" is claimed but factory.createPeer is missing`);
  }
  if (capabilities.unreachable === true && factory.createUnreachable === undefined) {
    throw new TypeError(`${target.name}: capability "unreachable" is claimed but factory.createUnreachable is missing`);
  }
  return {
    ruleTimeoutMs: Math.max(15_000, ttlMs * 10, unreachableBoundMs * 4),
    claims: (capability) => Boolean((capabilities as Record<string, unknown>)[capability]),
    async open() {
      const made: LockingPlugin[] = [];
      const track = (locking: LockingPlugin): LockingPlugin => {
        made.push(locking);
        return locking;
      };
      const locking = track(await factory.create());
      const context: LockingContext = {
        locking,
        peer: async () => track(await factory.createPeer!(locking)),
        unreachable: async () => track(await factory.createUnreachable!()),
        ttlMs,
        expiryWaitMs: ttlMs + Math.max(300, ttlMs / 2),
        unreachableBoundMs,
        maxKeyLength: capabilities.maxKeyLength ?? 2000,
      };
      return {
        context,
        async close() {
          for (const instance of made.reverse()) await factory.destroy?.(instance);
        },
      };
    },
  };
}
