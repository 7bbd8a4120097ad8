import { errorDetails } from '@belfry/internal';
import type { Firing } from './firing.js';
import { firingBefore } from './firing-before.js';
import { GroupedTimers } from './grouped-timers.js';
import { invokePlugin } from './invoke-plugin.js';
import { lastAttemptAt } from './last-attempt-at.js';
import { OccurrenceLease } from './occurrence-lease.js';
import type { ResolvedSchedulerOptions } from './resolve-scheduler-options.js';
import type { RunReporter } from './run-reporter.js';
import type { ScheduleEntry } from './schedule-entry.js';
import { RunAbort } from './run-abort.js';
import { StartGate } from './start-gate.js';
import type { RunOutcome } from './scheduler-types.js';

/** What a firing that takes no lock awaits in place of a lock answer. */
const NO_LOCK = true;

interface ActiveRun {
  abort: RunAbort;
  lease: OccurrenceLease | undefined;
  /** Settles when the run has ended, whatever its outcome; made only when `stop()` waits for it. */
  settled: Promise<void> | undefined;
  ended: (() => void) | undefined;
}

/**
 * Runs one firing end to end: takes the occurrence's lease when the
 * schedule is locked, waits its turn at the start gate, invokes the
 * plugin, then releases (or keeps as a marker) the lock.
 */
export class FiringRunner {
  private readonly active = new Set<ActiveRun>();
  private readonly gate = new StartGate<Firing>(firingBefore);
  /** Lock renewals: the runs of a burst renew together, on one timer. */
  private readonly renewals: GroupedTimers;

  constructor(
    private readonly options: ResolvedSchedulerOptions,
    private readonly reporter: RunReporter,
    /** Whether the scheduler still starts timetable runs. */
    private readonly isRunning: () => boolean,
    /** Called when a run of `entry` has ended, so its backlog can go on. */
    private readonly onEnded: (entry: ScheduleEntry) => void,
  ) {
    this.renewals = new GroupedTimers(options.clock);
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Settles once every run going now has ended. */
  allSettled(): Promise<void> {
    const settled = [...this.active].map((run) => {
      run.settled ??= new Promise<void>((resolve) => {
        run.ended = resolve;
      });
      return run.settled;
    });
    return Promise.all(settled).then(() => undefined);
  }

  /** Aborts every run still going with `reason`, stops their renewals and releases their locks. */
  async abortAll(reason: Error): Promise<void> {
    await Promise.all(
      [...this.active].map(async (run) => {
        run.abort.abort(reason);
        run.lease?.stopRenewal();
        const lease = run.lease;
        await lease?.release().catch((error: unknown) => {
          this.reporter.log('warn', 'Releasing a lock at shutdown failed', { key: lease.key, error: errorDetails(error) });
        });
      }),
    );
  }

  async run(firing: Firing): Promise<RunOutcome> {
    const entry = firing.entry;
    entry.running = true;
    entry.catchingUp = firing.waits;
    const run: ActiveRun = { abort: new RunAbort(), lease: undefined, settled: undefined, ended: undefined };
    this.active.add(run);
    try {
      return await this.attempt(firing, run);
    } finally {
      run.lease?.stopRenewal();
      this.active.delete(run);
      entry.running = false;
      entry.catchingUp = false;
      run.ended?.();
      this.onEnded(entry);
    }
  }

  private async attempt(firing: Firing, run: ActiveRun): Promise<RunOutcome> {
    const { entry } = firing;
    const manual = firing.origin.kind === 'manual';
    if (entry.locked && this.options.locking !== undefined) {
      const lease = this.leaseFor(firing);
      if (lease === null) {
        // Too late to be sure no other node already ran it: its marker may have expired.
        this.reporter.skipped(firing, 'missed', { missedCount: 1 });
        return 'skipped';
      }
      run.lease = lease;
    }
    // Exactly one await before the start gate, locked or not, so firings whose locks answer at once
    // reach the gate in the same turn as those that need no lock, and start in priority order.
    let held: boolean;
    try {
      held = run.lease === undefined ? await NO_LOCK : run.lease.taken(await run.lease.request());
    } catch (error) {
      this.reporter.log('warn', 'Lock backend failed; the firing is skipped', {
        plugin: entry.pluginName,
        scheduleId: entry.id,
        scheduledAt: firing.scheduledAt,
        error: errorDetails(error),
      });
      this.reporter.skipped(firing, 'lock_error', { error: errorDetails(error) });
      return 'skipped';
    }
    if (!held) {
      // A held key on a catch-up is the marker of a node that already ran (or is running) that occurrence.
      this.reporter.skipped(firing, firing.origin.kind === 'catchup' ? 'already_ran' : 'lock_contended', { lockWaitMs: run.lease?.waitMs });
      return 'skipped';
    }
    if (!manual) {
      await this.gate.wait(firing);
      if (!this.isRunning()) {
        // Never started: keep the occurrence owed, as stop() does for firings still queued, so a restart runs it by policy.
        if (entry.handledThrough !== null) entry.handledThrough = Math.min(entry.handledThrough, firing.scheduledAt - 1);
        await this.releaseQuietly(run.lease);
        this.reporter.skipped(firing, 'stopped');
        return 'skipped';
      }
    }
    run.lease?.keepAlive(run.abort, (lost, cause) => {
      this.reporter.log('warn', 'Lost the lock of a running firing; its signal is aborted', {
        plugin: entry.pluginName,
        scheduleId: entry.id,
        scheduledAt: firing.scheduledAt,
        error: errorDetails(cause),
      });
      run.abort.abort(lost);
    });
    const outcome = await invokePlugin({
      firing,
      abort: run.abort,
      fence: run.lease?.fence,
      lockWaitMs: run.lease?.waitMs,
      clock: this.options.clock,
      reporter: this.reporter,
    });
    // Past the hold window no node will try this occurrence again, so the key can go.
    if (run.lease?.pastHold() === true) await this.releaseQuietly(run.lease);
    return outcome;
  }

  /** The occurrence's lease, or null when the firing is too late to be taken safely. */
  private leaseFor(firing: Firing): OccurrenceLease | null {
    const { entry } = firing;
    const { clock, locking, lockTtlMs, skewToleranceMs } = this.options;
    const manual = firing.origin.kind === 'manual';
    let holdUntil = Number.NEGATIVE_INFINITY;
    if (!manual) {
      const { graceMs, maxCatchupRuns, catchupSpreadMs } = this.options;
      const input = { parsed: entry.parsed, policy: entry.policy, jitterMs: entry.jitterMs, graceMs, maxCatchupRuns, catchupSpreadMs };
      const lastAttempt = lastAttemptAt(input, firing.scheduledAt);
      if (clock.now() > lastAttempt) return null;
      // Held past the last attempt plus twice the skew, so a lagging node finds it taken.
      holdUntil = lastAttempt + 2 * skewToleranceMs + lockTtlMs;
    }
    const key = `${entry.lockKeyPrefix}${firing.scheduledAt}`;
    return new OccurrenceLease({
      locking: locking as NonNullable<typeof locking>,
      clock,
      renewalTimers: this.renewals,
      lockTtlMs,
      // A manual run gets a key of its own so it can never take, or free, a nominal occurrence's marker.
      key: manual ? `${key}:manual` : key,
      fenceKey: entry.fenceKey,
      holdUntil,
    });
  }

  private async releaseQuietly(lease: OccurrenceLease | undefined): Promise<void> {
    try {
      await lease?.release();
    } catch (error) {
      this.reporter.log('warn', 'Releasing a lock failed; it will expire on its own', { key: lease?.key, error: errorDetails(error) });
    }
  }
}
