import { BelfryError, type Clock, type LockingPlugin, type Logger, type ScheduledRunCtx } from '@belfry/plugin-api';
import { PollerRuntime, type PollerLifecycle, type TickOutcome, type TickResult } from '@belfry/poller';
import type { Scheduler } from '@belfry/scheduler-core';
import type { PollerPluginJobs } from './assign-poller-jobs.js';
import type { ScheduleRef } from './control-target-schedule.js';
import type { HostCursorStore } from './create-cursor-store.js';
import type { PollerJobSettings } from './host-config.js';
import { JobLease } from './job-lease.js';
import { RecordingCursorStore } from './recording-cursor-store.js';
import { runKey } from './run-key.js';
import { shownCursor } from './shown-cursor.js';

/** The last tick of a job on this node. */
export interface PollerTickStatus {
  scheduledAt: number;
  startedAt: number;
  isCatchup: boolean;
  fence: number | null;
  outcome: TickOutcome;
  durationMs: number;
  /** Why it did not end `ok`: `<code>: <message>`. */
  error: string | null;
}

/** One poller job as `host.status().pollers` reports it. */
export interface PollerJobStatus {
  id: string;
  kind: string;
  /** The manifest id of the plugin serving the kind. */
  plugin: string;
  /** The scheduler's plugin name the job's schedule is registered under (`poller:<plugin>`). */
  schedulePlugin: string;
  /** `cron` or `at` as configured. */
  expression: string;
  lastTick: PollerTickStatus | null;
  /** The last cursor this node loaded or saved for the job: JSON text, cut at 200 characters, passwords redacted. */
  lastCursor: { text: string; truncated: boolean; fence: number } | null;
  /** The metrics of the last tick that returned some. */
  lastMetrics: Record<string, number> | null;
  /**
   * Ticks on this node: `ok`, `failed` (error, timeout, cancelled), `stale`
   * (answered, cursor refused by fence), and `skipped`: occurrences left
   * alone because a tick of the job was still running on another node.
   */
  ticks: { ok: number; failed: number; stale: number; skipped: number };
  /** The plugin's process: `running` (long-lived, with its pid), `starting` (long-lived, not up: starting or restarting), `per_tick` (ephemeral) or `stopped`. */
  process: { lifecycle: PollerLifecycle; state: 'running' | 'starting' | 'per_tick' | 'stopped'; pid: number | null };
}

/** `host.status().pollers`. */
export interface PollersStatus {
  /** Where cursors live: `file` (this node's state folder), `redis` or `pg` (shared by the cluster). */
  cursorStore: 'file' | 'redis' | 'pg' | null;
  jobs: PollerJobStatus[];
}

interface JobRecord {
  job: PollerJobSettings;
  plugin: string;
  lifecycle: PollerLifecycle;
  lastTick: PollerTickStatus | null;
  lastMetrics: Record<string, number> | null;
  ticks: { ok: number; failed: number; stale: number; skipped: number };
}

/** The scheduler plugin name a poller plugin's jobs are registered under; `:` keeps it apart from any manifest id. */
const schedulePluginName = (pluginId: string): string => `poller:${pluginId}`;

/**
 * The host's poller jobs: one PollerRuntime for the plugins whose kinds the
 * `[[pollers]]` jobs use, and every job registered as a scheduler schedule
 * whose run is one tick, so exactly-once, missed runs, jitter, pause and
 * resume apply to ticks as to any schedule.
 */
export class HostPollers {
  readonly #runtime: PollerRuntime | null;
  readonly #cursors: HostCursorStore | null;
  readonly #recorder: RecordingCursorStore | null;
  readonly #jobs = new Map<string, JobRecord>();
  readonly #clock: Clock;
  readonly #lease: { locking: LockingPlugin; ttlMs: number } | null;
  /** Metrics of finished ticks until the run log takes them, by run key. */
  readonly #metrics = new Map<string, Record<string, number>>();
  #stopped = false;

  private constructor(
    runtime: PollerRuntime | null,
    cursors: HostCursorStore | null,
    recorder: RecordingCursorStore | null,
    clock: Clock,
    lease: { locking: LockingPlugin; ttlMs: number } | null = null,
  ) {
    this.#lease = lease;
    this.#runtime = runtime;
    this.#cursors = cursors;
    this.#recorder = recorder;
    this.#clock = clock;
  }

  /** Nothing to run: no `[[pollers]]` job. */
  static none(clock: Clock): HostPollers {
    return new HostPollers(null, null, null, clock);
  }

  /**
   * Builds the runtime over `cursors` and registers every job with
   * `scheduler`; `start()` then starts the long-lived processes. On a
   * failure nothing is left running.
   */
  static async create(
    assigned: readonly PollerPluginJobs[],
    options: {
      scheduler: Scheduler;
      cursors: HostCursorStore;
      clock: Clock;
      logger: Logger;
      env: Record<string, Record<string, string>>;
      /** The lock backend and TTL a tick holds its job's lock with. */
      lease: { locking: LockingPlugin; ttlMs: number };
    },
  ): Promise<HostPollers> {
    const { scheduler, cursors, clock, logger, env, lease } = options;
    const recorder = new RecordingCursorStore(cursors.store);
    const runtime = new PollerRuntime({
      plugins: assigned.map(({ plugin, jobs }) => {
        // One process serves every job of the plugin: it gets the largest limit any of them asks for.
        const limits = jobs.flatMap((job) => (job.maxOldSpaceMb === undefined ? [] : [job.maxOldSpaceMb]));
        return {
          id: plugin.id,
          folder: plugin.dir,
          entry: plugin.manifest.entry,
          poller: plugin.manifest.poller!,
          ...(env[plugin.id] === undefined ? {} : { env: env[plugin.id] }),
          ...(limits.length === 0 ? {} : { maxOldSpaceSizeMb: Math.max(...limits) }),
        };
      }),
      cursors: recorder,
      clock,
      logger,
    });
    const pollers = new HostPollers(runtime, cursors, recorder, clock, lease);
    try {
      for (const { plugin, jobs } of assigned) {
        const lifecycle = plugin.manifest.poller!.lifecycle ?? 'long_lived';
        for (const job of jobs) pollers.#jobs.set(job.id, { job, plugin: plugin.id, lifecycle, lastTick: null, lastMetrics: null, ticks: { ok: 0, failed: 0, stale: 0, skipped: 0 } });
        await scheduler.register({
          name: schedulePluginName(plugin.id),
          schedules: () =>
            jobs.map((job) => ({
              id: job.id,
              description: `poller job of kind ${job.kind}`,
              ...(job.cron === undefined ? { at: job.at! } : { cron: job.cron }),
              ...(job.timezone === undefined ? {} : { timezone: job.timezone }),
              locking: job.locking,
              missedRunPolicy: job.missedRunPolicy,
              config: job.config,
            })),
          run: (ctx) => pollers.#tick(ctx),
        });
      }
    } catch (error) {
      await runtime.stop();
      throw error;
    }
    return pollers;
  }

  /** Starts the long-lived poller processes; resolves once each answered initialize or failed (then it is retried with backoff). */
  async start(): Promise<void> {
    await this.#runtime?.start();
  }

  /** Stops every poller process (after the scheduler drained its runs) and closes the cursor store. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#runtime?.stop();
    await this.#cursors?.close();
  }

  /** The metrics of a finished poller run, once: the run log attaches them to the run's record. */
  takeMetrics(run: { plugin: string; scheduleId: string; scheduledAt: number }): Record<string, number> | undefined {
    const key = runKey(run);
    const metrics = this.#metrics.get(key);
    this.#metrics.delete(key);
    return metrics;
  }

  /** Where job `jobId`'s schedule is registered, or undefined when this node runs no such job: how a cluster-wide pause of a job reaches its schedule. */
  scheduleOf(jobId: string): ScheduleRef | undefined {
    const record = this.#jobs.get(jobId);
    return record && { plugin: schedulePluginName(record.plugin), scheduleId: jobId };
  }

  status(): PollersStatus {
    return {
      cursorStore: this.#cursors?.kind ?? null,
      jobs: [...this.#jobs.values()].map((record) => {
        const cursor = this.#recorder?.last(record.job.id) ?? null;
        return {
          id: record.job.id,
          kind: record.job.kind,
          plugin: record.plugin,
          schedulePlugin: schedulePluginName(record.plugin),
          expression: record.job.cron ?? record.job.at!,
          lastTick: record.lastTick,
          lastCursor: cursor === null ? null : { ...shownCursor(cursor.cursor), fence: cursor.fence },
          lastMetrics: record.lastMetrics,
          ticks: { ...record.ticks },
          process: this.#processOf(record),
        };
      }),
    };
  }

  #processOf(record: JobRecord): PollerJobStatus['process'] {
    if (this.#stopped) return { lifecycle: record.lifecycle, state: 'stopped', pid: null };
    if (record.lifecycle === 'ephemeral') return { lifecycle: record.lifecycle, state: 'per_tick', pid: null };
    const pid = this.#runtime?.pidOf(record.plugin) ?? null;
    return { lifecycle: record.lifecycle, state: pid === null ? 'starting' : 'running', pid };
  }

  /**
   * One run of a job's schedule: one tick, saved with the run's fence; any
   * outcome but `ok` fails the run. A run that holds the global lock first
   * takes the job's own lock, so ticks of one job never overlap across the
   * cluster; while another node's tick still runs, this occurrence is left
   * to it (the run fails with `poller_busy`).
   */
  async #tick(ctx: ScheduledRunCtx): Promise<void> {
    const record = this.#jobs.get(ctx.scheduleId)!;
    const lease = ctx.fence === undefined || this.#lease === null ? null : await JobLease.take(this.#lease.locking, record.job.id, this.#clock, this.#lease.ttlMs);
    if (ctx.fence !== undefined && lease === null) {
      record.ticks.skipped += 1;
      throw new BelfryError('poller_busy', `poller job ${record.job.id}: a tick of this job is still running on another node; this occurrence is left to it`);
    }
    try {
      await this.#runTick(record, ctx, lease === null ? ctx.signal : AbortSignal.any([ctx.signal, lease.lost.signal]));
    } finally {
      await lease?.release();
    }
  }

  async #runTick(record: JobRecord, ctx: ScheduledRunCtx, signal: AbortSignal): Promise<void> {
    const { job } = record;
    const startedAt = this.#clock.now();
    const result: TickResult = await this.#runtime!.runTick({
      job: job.id,
      kind: job.kind,
      scheduledAt: ctx.scheduledAt,
      isCatchup: ctx.isCatchup,
      ...(ctx.fence === undefined ? {} : { fence: ctx.fence }),
      config: job.config,
      signal,
    });
    const error = result.error === undefined ? null : `${result.error.code}: ${result.error.message}`;
    record.lastTick = { scheduledAt: ctx.scheduledAt, startedAt, isCatchup: ctx.isCatchup, fence: ctx.fence ?? null, outcome: result.outcome, durationMs: result.durationMs, error };
    if (result.metrics !== undefined) {
      record.lastMetrics = { ...result.metrics };
      this.#metrics.set(runKey({ plugin: schedulePluginName(record.plugin), scheduleId: job.id, scheduledAt: ctx.scheduledAt }), { ...result.metrics });
    }
    if (result.outcome === 'ok') record.ticks.ok += 1;
    else if (result.outcome === 'stale') record.ticks.stale += 1;
    else record.ticks.failed += 1;
    if (result.outcome !== 'ok') throw new BelfryError(result.error?.code ?? 'poller_tick_failed', `poller job ${job.id}: tick ${result.outcome}: ${result.error?.message ?? 'no reason given'}`);
  }
}
