import type { ScheduleEntry } from './schedule-entry.js';

/** Why a firing exists: its schedule came due, it catches up a missed occurrence, or `trigger()` asked for it. */
export type FiringOrigin = { readonly kind: 'scheduled' } | { readonly kind: 'catchup' } | { readonly kind: 'manual' };

/** The origins, shared by every firing: a burst need not make one per firing. */
export const SCHEDULED: FiringOrigin = { kind: 'scheduled' };
export const CATCHUP: FiringOrigin = { kind: 'catchup' };
export const MANUAL: FiringOrigin = { kind: 'manual' };

/** A run to start: one occurrence of one schedule. */
export interface Firing {
  readonly type: 'run';
  readonly entry: ScheduleEntry;
  /** Nominal time of the occurrence. */
  readonly scheduledAt: number;
  /** When it should start (nominal time plus jitter, or a catch-up slot). */
  fireAt: number;
  readonly origin: FiringOrigin;
  /** Waits behind a running run instead of being skipped as overlap (catch-ups, and the on-time run after them). */
  waits: boolean;
  /** The timeline epoch it was planned in; the scheduler stopping bumps it, so older items are ignored. */
  readonly epoch: number;
}

/** "The next occurrence of this schedule is due": the timeline item that makes the scheduler plan it. */
export interface Tick {
  readonly type: 'tick';
  readonly entry: ScheduleEntry;
  readonly scheduledAt: number;
  readonly fireAt: number;
  readonly epoch: number;
}

/** Anything the timeline waits for. */
export type TimelineItem = Firing | Tick;
