import type { Logger, Schedule, ScheduledPlugin, ScheduledRunCtx } from '@belfry/plugin-api';
import type { Scheduler, SchedulerEventName, SchedulerEvents } from '../src/index.js';

export const T0 = Date.parse('2026-05-01T00:00:00Z');

/** A logger that keeps what it is told, for assertions. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

export interface RecordedRun extends Omit<ScheduledRunCtx, 'signal'> {
  signal: AbortSignal;
}

/** A plugin that records every run; `work` decides what a run does. */
export function recordingPlugin(
  name: string,
  schedules: Schedule[],
  work: (ctx: ScheduledRunCtx) => void | Promise<void> = () => undefined,
  priority?: number,
): ScheduledPlugin & { runs: RecordedRun[] } {
  const runs: RecordedRun[] = [];
  const plugin = {
    name,
    runs,
    schedules: () => schedules,
    async run(ctx: ScheduledRunCtx) {
      runs.push({ ...ctx });
      await work(ctx);
    },
  };
  return priority === undefined ? plugin : { ...plugin, priority, runs, run: plugin.run };
}

/** Collects every event of a scheduler, in order. */
export function collectEvents(scheduler: Scheduler): { name: SchedulerEventName; event: SchedulerEvents[SchedulerEventName] }[] {
  const events: { name: SchedulerEventName; event: SchedulerEvents[SchedulerEventName] }[] = [];
  for (const name of ['run:start', 'run:success', 'run:error', 'run:skip', 'run:dropped'] as const) {
    scheduler.on(name, (event) => events.push({ name, event }));
  }
  return events;
}

/** A promise with its resolver, to hold a run open. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
