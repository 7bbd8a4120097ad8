import { RunTimeoutError, type Clock, type ScheduledRunCtx } from '@belfry/plugin-api';
import { errorDetails } from '@belfry/internal';
import type { Firing } from './firing.js';
import type { RunAbort } from './run-abort.js';
import type { RunReporter } from './run-reporter.js';
import type { RunOutcome } from './scheduler-types.js';

export interface Invocation {
  firing: Firing;
  /** Aborted on timeout here, and by the caller on a lost lock or at shutdown; its signal is `ctx.signal`. */
  abort: RunAbort;
  fence: number | undefined;
  /** How long the occurrence's lock took to answer, when the run took one. */
  lockWaitMs: number | undefined;
  clock: Clock;
  reporter: RunReporter;
}

function contextFor(firing: Firing, runCount: number, abort: RunAbort, fence: number | undefined): ScheduledRunCtx {
  const { entry } = firing;
  const ctx: ScheduledRunCtx = {
    scheduleId: entry.id,
    scheduledAt: firing.scheduledAt,
    runCount,
    isCatchup: firing.origin.kind === 'catchup',
    // Made when first read: most runs never look at their signal.
    get signal() {
      return abort.signal;
    },
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
export async function invokePlugin({ firing, abort, fence, lockWaitMs, clock, reporter }: Invocation): Promise<RunOutcome> {
  const { entry } = firing;
  const timeoutMs = entry.timeoutMs;
  let cancelTimeout: (() => void) | undefined;
  let unhook: (() => void) | undefined;
  if (timeoutMs !== undefined) {
    cancelTimeout = clock.setTimer(() => {
      abort.abort(new RunTimeoutError(timeoutMs, `Run of ${entry.label} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    // Aborted for another reason, the timeout has nothing left to do.
    unhook = abort.onAbort(cancelTimeout);
  }
  const startedAt = clock.now();
  const ctx = contextFor(firing, entry.stats.started(startedAt), abort, fence);
  // Event payloads are built only for events someone listens to.
  if (reporter.events.listening('run:start')) {
    const base = reporter.base(firing);
    reporter.events.emit('run:start', { ...base, startedAt, ...(fence === undefined ? {} : { fence }), ...(lockWaitMs === undefined ? {} : { lockWaitMs }) });
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
    unhook?.();
  }
  if (!failed && abort.aborted) {
    // Resolving after a timeout or a lost lock is not a success: the run may have been cut short.
    failed = true;
    failure = abort.reason;
  }
  const finishedAt = clock.now();
  const durationMs = finishedAt - startedAt;
  if (failed) {
    const info = errorDetails(failure);
    entry.stats.finished(finishedAt, durationMs, info);
    reporter.log('error', 'Scheduled run failed', { plugin: entry.pluginName, scheduleId: entry.id, scheduledAt: firing.scheduledAt, error: info });
    if (reporter.events.listening('run:error')) reporter.events.emit('run:error', { ...reporter.base(firing), startedAt, durationMs, error: info });
    return 'error';
  }
  entry.stats.finished(finishedAt, durationMs, null);
  if (reporter.events.listening('run:success')) reporter.events.emit('run:success', { ...reporter.base(firing), startedAt, durationMs });
  return 'success';
}
