import { assertKnownKeys } from '../core/assert-known-keys.js';
import { sleep } from '../core/check.js';
import type { RuleHarness } from '../core/harness.js';
import type { ClusterStoreConformance } from './cluster-store-factory.js';
import type { ClusterStoreContext } from './cluster-store-context.js';

const DEFAULT_SHORT_MS = 1000;
const MIN_SHORT_MS = 20;
const DEFAULT_RULE_TIMEOUT_MS = 10_000;
/** Pause between re-checks in `eventually`: short against any store's round trip, long enough not to hammer it. */
const RECHECK_PAUSE_MS = 10;

/** Builds a fresh ClusterStoreContext per rule, creating the store with `options`, and disposes of every instance it made. */
export function clusterStoreHarness<Store, Options>(
  target: ClusterStoreConformance<Store, Options>,
  options: (shortMs: number) => Options,
): RuleHarness<ClusterStoreContext<Store>> {
  assertKnownKeys(target, ['name', 'factory', 'shortMs', 'ruleTimeoutMs'], `${target.name}: conformance target`);
  const { factory } = target;
  if (typeof factory?.create !== 'function' || typeof factory.peer !== 'function') {
    throw new TypeError(`${target.name}: factory.create and factory.peer must be functions (peer opens a second instance on the same backend)`);
  }
  const shortMs = target.shortMs ?? DEFAULT_SHORT_MS;
  // Rules date runs up to a second back; 100 × shortMs of retained age must cover that with room to spare.
  if (!Number.isSafeInteger(shortMs) || shortMs < MIN_SHORT_MS) throw new TypeError(`${target.name}: shortMs must be an integer number of ms ≥ ${MIN_SHORT_MS}, got ${String(shortMs)}`);
  const ruleTimeoutMs = target.ruleTimeoutMs ?? DEFAULT_RULE_TIMEOUT_MS;
  return {
    ruleTimeoutMs,
    claims: () => true,
    async open() {
      const made: Store[] = [];
      const store = await factory.create(options(shortMs));
      made.push(store);
      const context: ClusterStoreContext<Store> = {
        store,
        shortMs,
        async peer() {
          const again = await factory.peer(store);
          made.push(again);
          return again;
        },
        async now() {
          return factory.now === undefined ? Date.now() : await factory.now(store);
        },
        async elapse(ms) {
          await (factory.elapse === undefined ? sleep(ms) : factory.elapse(store, ms));
        },
        async eventually(condition, reason) {
          const giveUpAt = performance.now() + ruleTimeoutMs / 2;
          for (;;) {
            if (await condition()) return;
            if (performance.now() >= giveUpAt) throw new Error(reason);
            await sleep(RECHECK_PAUSE_MS);
          }
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
