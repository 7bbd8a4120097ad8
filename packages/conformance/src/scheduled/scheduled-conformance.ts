import type { ScheduledPlugin } from '@belfry/plugin-api';

/** How the scheduled-plugin suite makes instances of the plugin under test. */
export interface ScheduledFactory {
  /** A fresh instance, as a host would load it. */
  create(): Promise<ScheduledPlugin> | ScheduledPlugin;
  /** Disposes of what `create` returned. */
  destroy?(plugin: ScheduledPlugin): Promise<void> | void;
}

/** What a plugin claims; every claimed capability is tested, the rest reported as not claimed. */
export interface ScheduledCapabilities {
  /** `run` may be called from a test: it does its work (or a safe part of it) without outside effects. */
  runs?: boolean;
}

/** What a schedule expression parses to: its next occurrence strictly after a time, or null when there is none. */
export interface ParsedScheduleLike {
  next(afterMs: number): number | null;
}

/**
 * Parses a schedule expression in a time zone the way the scheduler does,
 * throwing on an invalid one: `parseSchedule` from `@belfry/scheduler-core`.
 */
export type ScheduleParser = (expression: string, options: { timezone?: string }) => ParsedScheduleLike;

/** A scheduled plugin presented to the suite. */
export interface ScheduledConformance {
  /** Label in reports, e.g. `'log_rotator'`. */
  name: string;
  factory: ScheduledFactory;
  capabilities: ScheduledCapabilities;
  /** Checks every expression (SCHED-004): pass `parseSchedule` from `@belfry/scheduler-core`. Without it SCHED-004 is not claimed. */
  parseSchedule?: ScheduleParser;
  /** Longest a normal run may take in the suite, in ms. Default 10,000. */
  runTimeoutMs?: number;
  /** How soon a run must settle once its signal is aborted, in ms. Default 1,000. */
  abortBoundMs?: number;
}
