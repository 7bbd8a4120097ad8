import type { ScheduledPlugin, ScheduledRunCtx } from '@belfry/plugin-api';
import type { ScheduleParser } from './scheduled-conformance.js';

/** What each scheduled-plugin rule gets. */
export interface ScheduledContext {
  plugin: ScheduledPlugin;
  /** Another fresh instance, as another node or a restart would load it. */
  fresh(): Promise<ScheduledPlugin>;
  /** A run context for `scheduleId`, with its own AbortController. */
  runContext(scheduleId: string, overrides?: Partial<Omit<ScheduledRunCtx, 'signal'>>): { ctx: ScheduledRunCtx; abort(): void };
  /** The injected parser (rules that require `parseSchedule`). */
  parseSchedule: ScheduleParser;
  runTimeoutMs: number;
  abortBoundMs: number;
}
