import type { CursorStore } from '@belfry/plugin-api';
import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { RuleHarness } from '../core/harness.js';
import type { CursorStoreConformance } from './cursor-store-conformance.js';
import type { CursorStoreContext } from './cursor-store-context.js';

/** Builds a fresh CursorStoreContext per rule and disposes of every instance it made. */
export function cursorStoreHarness(target: CursorStoreConformance): RuleHarness<CursorStoreContext> {
  const { factory, capabilities } = target;
  assertKnownKeys(capabilities, ['persistent'], `${target.name}: capabilities`);
  if (capabilities.persistent === true && factory.reopen === undefined) {
    throw new TypeError(`${target.name}: capability "persistent" is claimed but factory.reopen is missing`);
  }
  return {
    ruleTimeoutMs: target.ruleTimeoutMs ?? 10_000,
    claims: (capability) => Boolean((capabilities as Record<string, unknown>)[capability]),
    async open() {
      const made: CursorStore[] = [];
      const store = await factory.create();
      made.push(store);
      const context: CursorStoreContext = {
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
