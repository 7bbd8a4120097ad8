import type { ScheduledPlugin } from '@belfry/plugin-api';
import type { RuleHarness } from '../core/harness.js';
import type { ScheduledConformance } from './scheduled-conformance.js';
import type { ScheduledContext } from './scheduled-context.js';

/** Builds a fresh ScheduledContext per rule and disposes of every instance it made. */
export function scheduledHarness(target: ScheduledConformance): RuleHarness<ScheduledContext> {
  const { factory, capabilities } = target;
  const runTimeoutMs = target.runTimeoutMs ?? 10_000;
  return {
    ruleTimeoutMs: runTimeoutMs * 3 + 5_000,
    claims: (capability) => Boolean((capabilities as Record<string, unknown>)[capability]),
    async open() {
      const made: ScheduledPlugin[] = [];
      const fresh = async (): Promise<ScheduledPlugin> => {
        const plugin = await factory.create();
        made.push(plugin);
        return plugin;
      };
      const context: ScheduledContext = {
        plugin: await fresh(),
        fresh,
        runContext(scheduleId, overrides = {}) {
          const controller = new AbortController();
          const ctx = { scheduleId, scheduledAt: Date.now(), runCount: 1, isCatchup: false, ...overrides, signal: controller.signal };
          return { ctx, abort: () => controller.abort(new Error('aborted by the conformance suite')) };
        },
        runTimeoutMs,
        abortBoundMs: target.abortBoundMs ?? 1_000,
      };
      return {
        context,
        async close() {
          for (const instance of made.reverse()) {
            await instance.cleanup?.();
            await factory.destroy?.(instance);
          }
        },
      };
    },
  };
}
