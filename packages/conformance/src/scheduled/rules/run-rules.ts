import type { ScheduledPlugin } from '@belfry/plugin-api';
import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import { withTimeout } from '../../core/with-timeout.js';
import type { ScheduledContext } from '../scheduled-context.js';

async function firstScheduleId(plugin: ScheduledPlugin): Promise<string> {
  const [first] = await plugin.schedules();
  check(first !== undefined, 'the plugin declares no schedule to run');
  return first.id;
}

async function runOrFail(promise: Promise<unknown>, ms: number, what: string): Promise<void> {
  try {
    await withTimeout(promise, ms, `${what} did not settle within ${ms} ms`);
  } catch (error) {
    throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export const runRules: Rule<ScheduledContext>[] = [
  {
    id: 'SCHED-006',
    sentence: 'run resolves for a normal firing of each schedule within the run timeout',
    requires: ['runs'],
    async run({ plugin, runContext, runTimeoutMs }) {
      for (const schedule of await plugin.schedules()) {
        const { ctx } = runContext(schedule.id);
        await runOrFail(Promise.resolve().then(() => plugin.run(ctx)), runTimeoutMs, `run of ${JSON.stringify(schedule.id)}`);
      }
    },
  },
  {
    id: 'SCHED-007',
    sentence: 'run settles within the abort bound once ctx.signal is aborted, whether it resolves or rejects',
    requires: ['runs'],
    async run({ plugin, runContext, abortBoundMs }) {
      const { ctx, abort } = runContext(await firstScheduleId(plugin));
      const running = Promise.resolve().then(() => plugin.run(ctx));
      running.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 20));
      abort();
      const abortedAt = performance.now();
      await withTimeout(running.then(() => {}, () => {}), abortBoundMs * 4, 'never settled');
      const ms = Math.round(performance.now() - abortedAt);
      check(ms <= abortBoundMs, `run settled ${ms} ms after its signal was aborted, over the bound of ${abortBoundMs} ms`);
    },
  },
  {
    id: 'SCHED-008',
    sentence: 'run handles a catch-up firing (isCatchup, a past scheduledAt, a fence) like any other',
    requires: ['runs'],
    async run({ plugin, runContext, runTimeoutMs }) {
      const { ctx } = runContext(await firstScheduleId(plugin), { isCatchup: true, scheduledAt: Date.now() - 3_600_000, runCount: 1, fence: 42 });
      await runOrFail(Promise.resolve().then(() => plugin.run(ctx)), runTimeoutMs, 'a catch-up run');
    },
  },
  {
    id: 'SCHED-009',
    sentence: 'cleanup, when present, resolves after runs have finished',
    requires: ['runs'],
    async run({ fresh, runContext, runTimeoutMs }) {
      const plugin = await fresh();
      const { ctx } = runContext(await firstScheduleId(plugin));
      await runOrFail(Promise.resolve().then(() => plugin.run(ctx)), runTimeoutMs, 'a run');
      if (plugin.cleanup !== undefined) await runOrFail(Promise.resolve().then(() => plugin.cleanup!()), runTimeoutMs, 'cleanup');
    },
  },
];
