import type { ControlTarget } from '@belfry/plugin-api';

/** A schedule as the scheduler names it. */
export interface ScheduleRef {
  plugin: string;
  scheduleId: string;
}

/** Where a poller job's schedule is registered, or undefined when this node runs no such job. */
export type PollerJobSchedule = (jobId: string) => ScheduleRef | undefined;

/** No poller jobs: every `poller_job` target names nothing on this node. */
export const noPollerJobs: PollerJobSchedule = () => undefined;

/**
 * The schedule a pause target names on this node: a schedule target as it
 * is, a poller job through `pollerJobSchedule` (a job is a schedule of the
 * poller's plugin). Undefined when the target names nothing here — another
 * node may run it.
 */
export function controlTargetSchedule(target: ControlTarget, pollerJobSchedule: PollerJobSchedule): ScheduleRef | undefined {
  if (target.kind === 'schedule') return { plugin: target.plugin, scheduleId: target.scheduleId };
  return pollerJobSchedule(target.jobId);
}
