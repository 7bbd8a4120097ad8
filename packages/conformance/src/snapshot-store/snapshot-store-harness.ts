import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { RuleHarness } from '../core/harness.js';
import type { FencedSnapshotStoreLike, SnapshotStoreConformance, SnapshotStoreLike } from './snapshot-store-conformance.js';
import type { SnapshotStoreContext } from './snapshot-store-context.js';

/** Builds a fresh SnapshotStoreContext per rule and disposes of every instance it made. */
export function snapshotStoreHarness(target: SnapshotStoreConformance): RuleHarness<SnapshotStoreContext> {
  const { factory, capabilities } = target;
  assertKnownKeys(capabilities, ['persistent', 'fenced'], `${target.name}: capabilities`);
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
      const reopen = async (): Promise<SnapshotStoreLike> => {
        const again = await factory.reopen!(store);
        made.push(again);
        return again;
      };
      const context: SnapshotStoreContext = {
        store,
        // Checked on use, so only the rules that require `fenced` fail for a store claiming it without the methods.
        get fenced() {
          return asFenced(store, target.name);
        },
        reopen,
        reopenFenced: async () => asFenced(await reopen(), target.name),
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

/** `store` as a fenced store, or an error naming the missing method of a store that claims `fenced`. */
function asFenced(store: SnapshotStoreLike, name: string): FencedSnapshotStoreLike {
  for (const method of ['saveFenced', 'loadFenced'] as const) {
    if (typeof store[method] !== 'function') throw new Error(`${name}: capability "fenced" is claimed but the store has no ${method}() method`);
  }
  return store as FencedSnapshotStoreLike;
}
