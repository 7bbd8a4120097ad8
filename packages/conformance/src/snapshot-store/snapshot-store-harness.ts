import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { RuleHarness } from '../core/harness.js';
import type { SnapshotStoreConformance, SnapshotStoreLike } from './snapshot-store-conformance.js';
import type { SnapshotStoreContext } from './snapshot-store-context.js';

/** Builds a fresh SnapshotStoreContext per rule and disposes of every instance it made. */
export function snapshotStoreHarness(target: SnapshotStoreConformance): RuleHarness<SnapshotStoreContext> {
  const { factory, capabilities } = target;
  assertKnownKeys(capabilities, ['persistent'], `${target.name}: capabilities`);
  if (capabilities.persistent === true && factory.reopen === undefined) {
    throw new TypeError(`${target.name}: capability "persistent" is claimed but factory.reopen is missing`);
  }
  return {
    ruleTimeoutMs: target.ruleTimeoutMs ?? 30_000,
    claims: (capability) => Boolean((capabilities as Record<string, unknown>)[capability]),
    async open() {
      const made: SnapshotStoreLike[] = [];
      const store = await factory.create();
      made.push(store);
      const context: SnapshotStoreContext = {
        store,
        async reopen() {
          const again = await factory.reopen!(store);
          made.push(again);
          return again;
        },
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
