import { systemClock, type Clock, type LifecyclePlugin, type Logger } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';

/** The hooks `dispatchLifecycle` can call. */
export type LifecycleHook = Exclude<keyof LifecyclePlugin, 'name' | 'priority'>;

/** How one plugin's hook went. */
export interface HookOutcome {
  plugin: string;
  outcome: 'ok' | 'error' | 'timeout';
  durationMs: number;
  /** The failure's message, for `error` and `timeout`. */
  error?: string;
}

export interface DispatchOptions {
  /** Longest one hook may run before the next plugin's is called, in ms. */
  timeoutMs: number;
  logger: Logger;
  /** Times the hooks out and measures them. Default `systemClock`; tests pass scheduler-core's `ManualClock`. */
  clock?: Clock;
}

/**
 * Calls `hook` on every plugin that has it, in ascending priority (default
 * 1000; ties keep registration order), one after another. A hook that throws
 * or outlives the timeout is logged and never stops the others.
 */
export async function dispatchLifecycle<H extends LifecycleHook>(
  plugins: readonly LifecyclePlugin[],
  hook: H,
  argsFor: (plugin: LifecyclePlugin) => Parameters<NonNullable<LifecyclePlugin[H]>>,
  options: DispatchOptions,
): Promise<HookOutcome[]> {
  const ordered = plugins
    .map((plugin, index) => ({ plugin, index }))
    .filter(({ plugin }) => typeof plugin[hook] === 'function')
    .sort((a, b) => (a.plugin.priority ?? 1000) - (b.plugin.priority ?? 1000) || a.index - b.index);
  const clock = options.clock ?? systemClock;
  const outcomes: HookOutcome[] = [];
  for (const { plugin } of ordered) {
    const started = clock.now();
    let cancelTimer: (() => void) | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      cancelTimer = clock.setTimer(() => resolve('timeout'), options.timeoutMs);
    });
    try {
      const call = Promise.resolve().then(() => (plugin[hook] as (...a: unknown[]) => unknown).apply(plugin, argsFor(plugin)));
      const result = await Promise.race([call.then(() => 'ok' as const), timedOut]);
      const durationMs = clock.now() - started;
      if (result === 'timeout') {
        const error = `${hook} did not finish within ${options.timeoutMs} ms`;
        options.logger.warn(`lifecycle: plugin "${plugin.name}" ${error}; moving on`, { plugin: plugin.name, hook });
        outcomes.push({ plugin: plugin.name, outcome: 'timeout', durationMs, error });
      } else {
        outcomes.push({ plugin: plugin.name, outcome: 'ok', durationMs });
      }
    } catch (error) {
      const message = errorText(error);
      options.logger.error(`lifecycle: plugin "${plugin.name}" ${hook} failed: ${message}`, { plugin: plugin.name, hook });
      outcomes.push({ plugin: plugin.name, outcome: 'error', durationMs: clock.now() - started, error: message });
    } finally {
      cancelTimer?.();
    }
  }
  return outcomes;
}
