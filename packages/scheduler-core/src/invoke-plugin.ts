import { RunTimeoutError, type Clock, type ScheduledRunCtx } from '@belfry/plugin-api';
import { errorDetails } from '@belfry/internal';
import type { Firing } from './firing.js';
import type { RunReporter } from './run-reporter.js';
import type { RunOutcome } from './scheduler-types.js';

export interface Invocation {
  firing: Firing;
  /** Aborted on timeout here, and by the caller on a lost lock or at shutdown; its signal is `ctx.signal`. */
  controller: AbortController;
  fence: number | undefined;
  clock: Clock;
  reporter: RunReporter;
}

function contextFor(firing: Firing, runCount: number, signal: AbortSignal, fence: number | undefined): ScheduledRunCtx {
  const { entry } = firing;
  const ctx: ScheduledRunCtx = {
    scheduleId: entry.id,
    scheduledAt: firing.scheduledAt,
    runCount,
    isCatchup: firing.origin.kind === 'catchup',
    signal,
  };
  if (entry.scope.tenantId !== undefined) ctx.tenantId = entry.scope.tenantId;
  if (entry.scope.siteId !== undefined) ctx.siteId = entry.scope.siteId;
  if (fence !== undefined) ctx.fence = fence;
  return ctx;
}

/**
 * Calls the plugin's `run` once: builds its context, aborts its signal
 * with `RunTimeoutError` past the schedule's `timeoutMs`, and records the
 * outcome in stats, events and the log. `plugin.run` is called before the
 * first await, so callers that invoke in order start runs in that order.
 */
export async function invokePlugin({ firing, controller, fence, clock, reporter }: Invocation): Promise<RunOutcome> {
  const { entry } = firing;
  const signal = controller.signal;
  const timeoutMs = entry.timeoutMs;
  let cancelTimeout: (() => void) | undefined;
  if (timeoutMs !== undefined) {
    cancelTimeout = clock.setTimer(() => {
      controller.abort(new RunTimeoutError(timeoutMs, `Run of ${entry.label} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    // Aborted for another reason, the timeout has nothing left to do.
    signal.addEventListener('abort', cancelTimeout, { once: true });
  }
  const startedAt = clock.now();
  const ctx = contextFor(firing, entry.stats.started(startedAt), signal, fence);
  const base = reporter.base(firing);
  if (reporter.events.listening('run:start')) {
    reporter.events.emit('run:start', fence === undefined ? { ...base, startedAt } : { ...base, startedAt, fence });
  }
  let failure: unknown;
  let failed = false;
  try {
    await entry.plugin.run(ctx);
  } catch (error) {
    failed = true;
    failure = error;
  } finally {
    cancelTimeout?.();
    if (cancelTimeout !== undefined) signal.removeEventListener('abort', cancelTimeout);
  }
  if (!failed && signal.aborted) {
    // Resolving after a timeout or a lost lock is not a success: the run may have been cut short.
    failed = true;
    failure = signal.reason;
  }
  const finishedAt = clock.now();
  const durationMs = finishedAt - startedAt;
  if (failed) {
    const info = errorDetails(failure);
    entry.stats.finished(finishedAt, durationMs, info);
    reporter.log('error', 'Scheduled run failed', { plugin: entry.pluginName, scheduleId: entry.id, scheduledAt: firing.scheduledAt, error: info });
    reporter.events.emit('run:error', { ...base, startedAt, durationMs, error: info });
    return 'error';
  }
  entry.stats.finished(finishedAt, durationMs, null);
  if (reporter.events.listening('run:success')) reporter.events.emit('run:success', { ...base, startedAt, durationMs });
  return 'success';
}
