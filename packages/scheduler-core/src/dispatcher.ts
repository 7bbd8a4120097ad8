import { errorDetails } from '@belfry/internal';
import { CATCHUP, MANUAL, type Firing } from './firing.js';
import { firingBefore } from './firing-before.js';
import { FiringRunner } from './firing-runner.js';
import type { PersistedScheduleState } from './persisted-schedule-state.js';
import { planFirings } from './plan-firings.js';
import { planOccurrences } from './plan-occurrences.js';
import type { ResolvedSchedulerOptions } from './resolve-scheduler-options.js';
import type { RunReporter } from './run-reporter.js';
import type { ScheduleEntry } from './schedule-entry.js';
import { spreadCatchups } from './spread-catchups.js';
import { Timeline } from './timeline.js';
import type { RunOutcome } from './scheduler-types.js';

/** Lock requests sent before firings whose locks have answered get a turn to start. */
const SEND_SLICE = 32;

/** Firings found due together: catch-ups still to spread, and firings to start now. */
interface Batch {
  catchups: Firing[];
  ready: Firing[];
}

/** Before every instant a `Date` holds: nothing of a new one-shot is handled yet. */
const ONE_SHOT_UNHANDLED = -8_640_000_000_000_000;

/**
 * The firing loop: keeps each schedule's next occurrence on the timeline,
 * plans what is due when the timer fires, and hands firings to the runner
 * in start order.
 */
export class Dispatcher {
  private readonly timeline: Timeline;
  private readonly runner: FiringRunner;
  private warnedNoBackend = false;
  /** Firings of a burst whose turn to be dispatched has not come yet. */
  private readonly unsent = new Set<Firing>();

  constructor(
    private readonly options: ResolvedSchedulerOptions,
    private readonly reporter: RunReporter,
    /** Whether the scheduler is running (not idle, stopping or stopped). */
    private readonly isRunning: () => boolean,
    /** State restored from a snapshot, by schedule key; taken when a schedule begins. */
    private readonly restored: Map<string, PersistedScheduleState>,
  ) {
    this.timeline = new Timeline(options.clock, options.maxTimerDelayMs, () => this.onTimer());
    this.runner = new FiringRunner(options, reporter, isRunning, (entry) => this.drainBacklog(entry));
  }

  get activeRuns(): number {
    return this.runner.activeCount;
  }

  allSettled(): Promise<void> {
    return this.runner.allSettled();
  }

  abortAll(reason: Error): Promise<void> {
    return this.runner.abortAll(reason);
  }

  /** Runs `entry` now, outside its timetable (`trigger()`). */
  runNow(entry: ScheduleEntry): Promise<RunOutcome> {
    const now = this.options.clock.now();
    const firing: Firing = { type: 'run', entry, scheduledAt: now, fireAt: now, origin: MANUAL, waits: false, epoch: this.timeline.epoch };
    if (entry.running) {
      this.reporter.skipped(firing, 'overlap');
      return Promise.resolve('skipped');
    }
    return this.runner.run(firing);
  }

  /**
   * Stops planning: firings planned but not started stay owed (so a
   * restart runs them by policy), and nothing queued before now will start.
   */
  close(entries: ScheduleEntry[]): void {
    for (const [entry, earliest] of this.unstartedFirings(entries)) {
      if (entry.handledThrough !== null) entry.handledThrough = Math.min(entry.handledThrough, earliest - 1);
    }
    this.timeline.close();
    for (const entry of entries) {
      entry.backlog = [];
      entry.pendingAt = null;
    }
  }

  /** Puts newly started or registered schedules on the timeline and starts what is due. */
  begin(entries: ScheduleEntry[]): void {
    this.warnIfNoBackend(entries);
    const now = this.options.clock.now();
    const batch: Batch = { catchups: [], ready: [] };
    for (const entry of entries) this.initEntry(entry, now, batch);
    this.dispatchBatch(batch, now);
    this.timeline.arm();
  }

  private warnIfNoBackend(entries: ScheduleEntry[]): void {
    if (this.warnedNoBackend || this.options.locking !== undefined) return;
    const global = entries.filter((entry) => entry.hint === 'require_global');
    if (global.length === 0) return;
    this.warnedNoBackend = true;
    this.reporter.log('warn', 'Schedules require a global lock but no lock backend is configured; they run on every node that runs them', {
      schedules: global.map((entry) => entry.label),
    });
  }

  /** Queues a schedule's next occurrence, planning catch-ups from restored state. */
  private initEntry(entry: ScheduleEntry, now: number, batch: Batch): void {
    const saved = this.restored.get(entry.key);
    this.restored.delete(entry.key);
    const fits = saved !== undefined && saved.expression === entry.parsed.expression && saved.timezone === entry.parsed.timezone;
    if (!fits && entry.parsed.kind === 'once') {
      // A one-shot seen for the first time still owes its instant if it has passed: the policy decides.
      entry.handledThrough = ONE_SHOT_UNHANDLED;
      this.plan(entry, now, undefined, batch);
      return;
    }
    if (fits && saved.handledThrough < now) {
      entry.handledThrough = saved.handledThrough;
      entry.stats.lastScheduledAt = saved.lastScheduledAt;
      this.plan(entry, now, undefined, batch);
      return;
    }
    if (fits) entry.stats.lastScheduledAt = saved.lastScheduledAt;
    // A schedule seen for the first time owes nothing from before now.
    entry.handledThrough = Math.max(now, fits ? saved.handledThrough : now);
    this.queueTick(entry, entry.parsed.next(entry.handledThrough));
  }

  private queueTick(entry: ScheduleEntry, at: number | null): void {
    entry.pendingAt = at;
    if (at === null) return;
    this.timeline.push({ type: 'tick', entry, scheduledAt: at, fireAt: at, epoch: this.timeline.epoch });
  }

  private onTimer(): void {
    if (!this.isRunning()) return;
    try {
      const now = this.options.clock.now();
      const batch: Batch = { catchups: [], ready: [] };
      for (const item of this.timeline.takeDue(now)) {
        if (item.type === 'run') batch.ready.push(item);
        else if (item.entry.pendingAt === item.scheduledAt) this.plan(item.entry, now, item.scheduledAt, batch);
      }
      this.dispatchBatch(batch, now);
    } catch (error) {
      this.reporter.log('error', 'Scheduler tick failed', { error: errorDetails(error) });
    }
    this.timeline.arm();
  }

  /**
   * Decides what to do about the occurrences of one schedule that are due
   * at `now` (see `planOccurrences`), reports what is skipped or dropped,
   * and queues the next occurrence.
   */
  private plan(entry: ScheduleEntry, now: number, popped: number | undefined, batch: Batch): void {
    const since = entry.handledThrough ?? now;
    const { graceMs, maxCatchupRuns } = this.options;
    const plan = planOccurrences({ parsed: entry.parsed, policy: entry.policy, since, now, popped, graceMs, maxCatchupRuns });
    entry.handledThrough = Math.max(now, since);
    this.queueTick(entry, plan.nextTick);
    if (plan.newest === null) return;
    entry.stats.lastScheduledAt = plan.newest;
    const epoch = this.timeline.epoch;
    if (plan.skipped !== null) {
      const skipped: Firing = { type: 'run', entry, scheduledAt: plan.skipped.latest, fireAt: now, origin: CATCHUP, waits: true, epoch };
      this.reporter.skipped(skipped, 'missed', { missedCount: plan.skipped.count });
    }
    if (plan.dropped !== null) this.reporter.dropped(entry, plan.dropped, maxCatchupRuns);
    const { catchups, onTime } = planFirings(entry, plan, now, epoch);
    batch.catchups.push(...catchups);
    if (onTime === null) return;
    if (onTime.fireAt <= now) batch.ready.push(onTime);
    else this.timeline.push(onTime);
  }

  /** Spreads the batch's catch-ups, queues those not due yet, and starts the rest in start order. */
  private dispatchBatch(batch: Batch, now: number): void {
    const ready = batch.ready;
    if (batch.catchups.length > 0) {
      for (const firing of spreadCatchups(batch.catchups, now, this.options.catchupSpreadMs)) {
        if (firing.fireAt <= now) ready.push(firing);
        else this.timeline.push(firing);
      }
    }
    // Lock requests go out in start order; the start gate keeps that order among firings whose locks are held.
    ready.sort((a, b) => (firingBefore(a, b) ? -1 : firingBefore(b, a) ? 1 : 0));
    if (ready.length <= SEND_SLICE) {
      for (const firing of ready) this.dispatch(firing);
      return;
    }
    for (const firing of ready) this.unsent.add(firing);
    this.dispatchInSlices(ready).catch((error: unknown) => {
      this.reporter.log('error', 'Scheduler tick failed', { error: errorDetails(error) });
    });
  }

  /**
   * Sends a big burst's lock requests a slice at a time, letting firings
   * whose locks have answered start between slices, so the first firing of
   * a thousand does not wait for the other 999 requests to be sent.
   */
  private async dispatchInSlices(ready: Firing[]): Promise<void> {
    for (let from = 0; from < ready.length; from += SEND_SLICE) {
      if (from > 0) await null;
      for (const firing of ready.slice(from, from + SEND_SLICE)) {
        this.unsent.delete(firing);
        this.dispatch(firing);
      }
    }
  }

  private dispatch(firing: Firing): void {
    if (!this.isRunning() || !this.timeline.isCurrent(firing)) return;
    const entry = firing.entry;
    if (entry.paused) {
      this.reporter.skipped(firing, 'paused');
      return;
    }
    if (entry.running) {
      // An occurrence that comes due while the schedule catches up is owed like the catch-ups: it waits its turn
      // behind them. Only one that finds an ordinary run still executing is an overlap.
      if (firing.waits || entry.catchingUp || entry.backlog.length > 0) waitInBacklog(entry.backlog, firing);
      else this.reporter.skipped(firing, 'overlap');
      return;
    }
    this.runner.run(firing).catch((error: unknown) => {
      this.reporter.log('error', 'Scheduled run could not be handled', { plugin: entry.pluginName, scheduleId: entry.id, error: errorDetails(error) });
    });
  }

  private drainBacklog(entry: ScheduleEntry): void {
    const next = entry.backlog.shift();
    if (next !== undefined) this.dispatch(next);
  }

  /**
   * The earliest nominal time, per schedule, of firings planned but not
   * started yet (waiting for jitter, a catch-up slot, or the run before them).
   */
  unstartedFirings(entries: Iterable<ScheduleEntry>): Map<ScheduleEntry, number> {
    const earliest = new Map<ScheduleEntry, number>();
    const note = (firing: Firing): void => {
      if (!this.timeline.isCurrent(firing)) return;
      const known = earliest.get(firing.entry);
      if (known === undefined || firing.scheduledAt < known) earliest.set(firing.entry, firing.scheduledAt);
    };
    for (const item of this.timeline.pending()) if (item.type === 'run') note(item);
    for (const entry of entries) entry.backlog.forEach(note);
    this.unsent.forEach(note);
    return earliest;
  }
}

/** Queues `firing` in `backlog` after every firing of an earlier or equal occurrence, so the oldest runs first; from now on it waits like a catch-up. */
function waitInBacklog(backlog: Firing[], firing: Firing): void {
  firing.waits = true;
  let at = backlog.length;
  while (at > 0 && backlog[at - 1]!.scheduledAt > firing.scheduledAt) at -= 1;
  backlog.splice(at, 0, firing);
}
