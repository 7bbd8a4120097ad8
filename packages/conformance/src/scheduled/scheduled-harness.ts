import { InvalidArgumentError, type ScheduledPlugin } from '@belfry/plugin-api';
import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { RuleHarness } from '../core/harness.js';
import type { ScheduledConformance } from './scheduled-conformance.js';
import type { ScheduledContext } from './scheduled-context.js';

/** Builds a fresh ScheduledContext per rule and disposes of every instance it made. */
export function scheduledHarness(target: ScheduledConformance): RuleHarness<ScheduledContext> {
  const { factory, capabilities } = target;
  assertKnownKeys(capabilities, ['runs'], `${target.name}: capabilities`);
  if (target.parseSchedule !== undefined && typeof target.parseSchedule !== 'function') {
    throw new InvalidArgumentError(`${target.name}: parseSchedule must be a function, e.g. parseSchedule from @belfry/scheduler-core`);
  }
  const runTimeoutMs = target.runTimeoutMs ?? 10_000;
  return {
    ruleTimeoutMs: runTimeoutMs * 3 + 5_000,
    claims: (capability) =>
      capability === 'parseSchedule' ? typeof target.parseSchedule === 'function' : Boolean((capabilities as Record<string, unknown>)[capability]),
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
        parseSchedule: (expression, options) => target.parseSchedule!(expression, options),
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
