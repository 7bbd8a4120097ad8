import type { StatefulPlugin } from '@belfry/plugin-api';
import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { RuleHarness } from '../core/harness.js';
import type { StatefulConformance } from './stateful-conformance.js';
import type { StatefulContext } from './stateful-context.js';

/** Builds a fresh StatefulContext per rule and disposes of every instance it made. */
export function statefulHarness(target: StatefulConformance): RuleHarness<StatefulContext> {
  const { factory, capabilities } = target;
  assertKnownKeys(capabilities, ['restore', 'readsVersions'], `${target.name}: capabilities`);
  if (typeof factory.change !== 'function') {
    throw new TypeError(`${target.name}: factory.change is missing; the suite needs it to put the plugin in a non-default state`);
  }
  const reads = capabilities.readsVersions;
  if (reads !== undefined && (!Array.isArray(reads) || reads.length === 0 || !reads.every((v) => Number.isInteger(v) && v >= 1))) {
    throw new TypeError(`${target.name}: capabilities.readsVersions must be a non-empty array of positive integers`);
  }
  return {
    ruleTimeoutMs: target.ruleTimeoutMs ?? 10_000,
    claims: (capability) => Boolean((capabilities as Record<string, unknown>)[capability]),
    async open() {
      const made: StatefulPlugin[] = [];
      const fresh = async (): Promise<StatefulPlugin> => {
        const plugin = await factory.create();
        made.push(plugin);
        return plugin;
      };
      const context: StatefulContext = {
        plugin: await fresh(),
        fresh,
        change: async (plugin) => {
          await factory.change(plugin);
        },
        readsVersions: reads,
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
