/** How a schedule expression counts time. */
export type ScheduleKind = 'interval' | 'cron' | 'once';

/** A schedule expression that parsed: plain data plus a pure `next` function. */
export interface ParsedSchedule {
  /** The expression (or one-shot instant) exactly as given. */
  readonly expression: string;
  /** The IANA zone cron fields are read in (`'UTC'` unless given). Intervals ignore it. */
  readonly timezone: string;
  /** `'interval'` for `30s` / `1h30m`, `'cron'` for cron fields and `@` shortcuts, `'once'` for a `parseOneShot` instant. */
  readonly kind: ScheduleKind;
  /**
   * The first occurrence strictly after `afterMs` (ms since the epoch), or
   * `null` when the expression has no later occurrence up to the last
   * instant a `Date` holds (+275760-09-13T00:00Z). Never loops without bound.
   */
  next(afterMs: number): number | null;
}

/** Options of `parseSchedule`. */
export interface ParseScheduleOptions {
  /** IANA time zone cron fields are evaluated in, e.g. `'Europe/Berlin'`. Default `'UTC'`. */
  timezone?: string;
}
