import { dirname } from 'node:path';
import type { Clock, ControlTarget, LockingPlugin, Logger, PauseOptions } from '@belfry/plugin-api';
import { InvalidArgumentError, systemClock } from '@belfry/plugin-api';
import { assertControlTarget, assertPauseOptions, consoleLogger, describeValue, errorText } from '@belfry/internal';
import { Scheduler, type RunOutcome, type SchedulerStatus } from '@belfry/scheduler-core';
import { SnapshotOrchestrator, StatefulRegistry, type SnapshotReportEntry } from '@belfry/stateful-registry';
import { assignPollerJobs } from './assign-poller-jobs.js';
import { createCursorStore } from './create-cursor-store.js';
import { createLocking } from './create-locking.js';
import { discoverPlugins } from './discover-plugins.js';
import { dispatchLifecycle } from './dispatch-lifecycle.js';
import type { HostConfig } from './host-config.js';
import { joinCluster, type ClusterMembership } from './join-cluster.js';
import { loadHostConfig, type LoadHostConfigOptions } from './load-host-config.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import { HostPollers, type PollersStatus } from './host-pollers.js';
import { loadPlugins } from './load-plugins.js';
import { redactingLogger } from './redacting-logger.js';
import { RunLog, type RunRecord } from './run-log.js';
import { runKey } from './run-key.js';
import type { RunRecorderStats } from './run-recorder.js';
import { secretsOf } from './secrets-of.js';
import type { ClusterStores } from './select-cluster-stores.js';
import { selectSnapshotStore, type FileState, type SharedState } from './select-snapshot-store.js';
import { wireSnapshotStore } from './wire-snapshot-store.js';

/** How to start a host. */
export interface StartHostOptions extends LoadHostConfigOptions {
  /** Settings already loaded; when given, `file`, `env` and `cwd` are not read. */
  config?: HostConfig;
  /**
   * Where the host, the scheduler, snapshots and plugins log. Default: the
   * console at `[host] log_level` (env `BELFRY_LOG_LEVEL`, default `info`).
   * Every line is redacted of passwords before it reaches this logger.
   */
  logger?: Logger;
  /** Default `systemClock`. */
  clock?: Clock;
  /**
   * Run history, presence or control stores to use instead of the ones the
   * lock backend selects (see `selectClusterStores`); the host does not
   * close stores passed in.
   */
  clusterStores?: Partial<ClusterStores>;
  /** The version this node reports in the cluster's node list. Default: the @belfry/host version. */
  version?: string;
  /**
   * Environment variables granted to a poller plugin's processes, by plugin
   * id (e.g. `{ feed_poller: { FEED_TOKEN: '…' } }`). Nothing else of the
   * host's environment but PATH, HOME, LANG and TZ reaches a poller.
   */
  pollerEnv?: Record<string, Record<string, string>>;
}

/** A lock held on this node for a run that is executing. */
export interface HeldLock {
  plugin: string;
  scheduleId: string;
  scheduledAt: number;
  fence?: number;
  since: number;
}

/** The last snapshot round, as reported to the dashboard. */
export interface SnapshotRound {
  at: number;
  kind: 'restore' | 'snapshot';
  entries: SnapshotReportEntry[];
}

/** Everything `/api/status` reports. Plain JSON. */
export interface HostStatus {
  nodeId: string;
  backend: string;
  startedAt: number;
  scheduler: SchedulerStatus;
  plugins: { id: string; name: string; version: string; capabilities: string[] }[];
  locks: HeldLock[];
  snapshots: SnapshotRound[];
  /** What the lock backend found wrong with its servers, e.g. a Redis that keeps nothing across a restart. */
  warnings: string[];
  /** How this node's runs are getting into the cluster's run history: appended, pending, dropped, failing. */
  runHistory: RunRecorderStats;
  /** The `[[pollers]]` jobs: last tick, cursor and metrics, tick counts, process state. */
  pollers: PollersStatus;
}

/**
 * A running Belfry host: settings loaded, manifests validated as a set,
 * plugins imported, state restored, lifecycle `onServerStart` dispatched and
 * the scheduler started. `start` either completes or throws with the reason
 * after undoing what it did; the host never runs half configured.
 */
/** Warnings a backend exposes (RedisLocking's `warnings`), read without depending on its package. */
function backendWarnings(locking: LockingPlugin): readonly string[] {
  const warnings = (locking as { warnings?: unknown }).warnings;
  return Array.isArray(warnings) ? warnings.filter((warning): warning is string => typeof warning === 'string') : [];
}

/** `pollerEnv` checked: an object of string maps, each for a loaded plugin that declares `[plugin.poller]` (values are checked by the poller runtime). */
function checkPollerEnv(env: unknown, plugins: readonly LoadedPlugin[]): Record<string, Record<string, string>> {
  if (env === undefined) return {};
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new InvalidArgumentError(`BelfryHost.start: options.pollerEnv must be an object { <plugin id>: { NAME: "value" } }, got ${describeValue(env)}`);
  }
  const pollers = plugins.filter((plugin) => plugin.manifest.poller !== undefined).map((plugin) => plugin.id);
  for (const [id, variables] of Object.entries(env)) {
    if (!pollers.includes(id)) {
      throw new InvalidArgumentError(`BelfryHost.start: options.pollerEnv names plugin ${JSON.stringify(id)}, which is not a loaded plugin with [plugin.poller]; poller plugins: ${pollers.join(', ') || 'none'}`);
    }
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      throw new InvalidArgumentError(`BelfryHost.start: options.pollerEnv.${id} must be an object of strings, got ${describeValue(variables)}`);
    }
  }
  return env as Record<string, Record<string, string>>;
}

export class BelfryHost {
  readonly runs = new RunLog();
  readonly #held = new Map<string, HeldLock>();
  readonly #snapshotRounds: SnapshotRound[] = [];
  #stopping: Promise<void> | undefined;
  readonly #stopSteps: (() => void | Promise<void>)[] = [];
  readonly #startedAt: number;
  readonly #orchestrator: SnapshotOrchestrator;
  readonly #logger: Logger;
  readonly #clock: Clock;
  #cluster: ClusterMembership | undefined;
  readonly #pollers: HostPollers;
  #state: FileState | SharedState | undefined;

  private constructor(
    readonly config: HostConfig,
    readonly plugins: LoadedPlugin[],
    readonly locking: LockingPlugin,
    readonly scheduler: Scheduler,
    orchestrator: SnapshotOrchestrator,
    pollers: HostPollers,
    logger: Logger,
    clock: Clock,
  ) {
    this.#orchestrator = orchestrator;
    this.#pollers = pollers;
    this.#logger = logger;
    this.#clock = clock;
    this.#startedAt = clock.now();
  }

  static async start(options: StartHostOptions = {}): Promise<BelfryHost> {
    const clock = options.clock ?? systemClock;
    const config = options.config ?? loadHostConfig(options);
    const logger = redactingLogger(options.logger ?? consoleLogger(config.logLevel), secretsOf(config));
    const plugins = await loadPlugins(discoverPlugins(config.pluginsDir), {
      baseDir: config.file === null ? process.cwd() : dirname(config.file),
      settings: config.plugins,
      logger,
    });
    for (const plugin of plugins) logger.debug?.(`belfry host: plugin "${plugin.id}" ${plugin.manifest.version} loaded from ${plugin.dir} (${plugin.manifest.capabilities.join(', ')})`);
    // Before any server is contacted: a job of a kind no plugin serves is a settings mistake.
    const pollerJobs = assignPollerJobs(config.pollers ?? [], plugins);
    const pollerEnv = checkPollerEnv(options.pollerEnv, plugins);
    const locking = await createLocking(config, plugins, logger);
    let cluster: ClusterMembership | undefined;
    let pollers = HostPollers.none(clock);
    let state: FileState | SharedState | undefined;
    try {
      const scheduler = new Scheduler({
        locking,
        clock,
        logger,
        nodeId: config.nodeId,
        skewToleranceMs: config.scheduler.skewToleranceMs,
        lockTtlMs: config.scheduler.lockTtlMs,
      });
      // Snapshots go to files, or to the lock backend's server on its own connection (see "State in a cluster").
      state = await selectSnapshotStore(config, locking, logger);
      const snapshots = wireSnapshotStore(state, { scheduler, locking, clock, logger, nodeId: config.nodeId, lockTtlMs: config.scheduler.lockTtlMs });
      for (const plugin of plugins) if (plugin.scheduled) await scheduler.register(snapshots.scheduled({ ...plugin, scheduled: plugin.scheduled }));
      if (pollerJobs.length > 0) {
        const cursors = await createCursorStore(config, locking);
        try {
          pollers = await HostPollers.create(pollerJobs, { scheduler, cursors, clock, logger, env: pollerEnv, lease: { locking, ttlMs: config.scheduler.lockTtlMs } });
        } catch (error) {
          await cursors.close().catch(() => {});
          throw error;
        }
        logger.info(`belfry host: ${config.pollers!.length} poller job(s) of ${pollerJobs.length} plugin(s); cursors in ${cursors.kind} (${cursors.location})`);
      }

      const registry = new StatefulRegistry();
      registry.register(scheduler);
      for (const plugin of plugins) if (plugin.stateful) registry.register(plugin.stateful);
      let host: BelfryHost | undefined;
      const orchestrator = new SnapshotOrchestrator({
        registry,
        store: snapshots.store,
        clock,
        logger,
        ...(config.snapshotIntervalMs > 0 ? { intervalMs: config.snapshotIntervalMs } : {}),
        onSnapshot: (entries) => {
          if (host !== undefined) host.#recordSnapshots('snapshot', entries);
        },
      });

      host = new BelfryHost(config, plugins, locking, scheduler, orchestrator, pollers, logger, clock);
      host.#state = state;
      host.#recordRuns();
      host.#cluster = cluster = await joinCluster(host, { given: options.clusterStores, version: options.version, startedAt: host.#startedAt, logger, clock, pollerJobSchedule: (jobId) => pollers.scheduleOf(jobId) });
      host.#recordSnapshots('restore', await orchestrator.restoreAll());
      await dispatchLifecycle(host.#lifecyclePlugins(), 'onServerStart', (plugin) => [config.plugins[plugin.name] ?? {}], {
        timeoutMs: config.hookTimeoutMs,
        logger,
        clock,
      });
      await pollers.start();
      await scheduler.start();
      await cluster.running();
      if (config.snapshotIntervalMs > 0) orchestrator.start();
      logger.info(`belfry host ${config.nodeId} started: ${plugins.length} plugin(s), ${config.locking.backend} locks, state in ${state.where}`);
      return host;
    } catch (error) {
      await cluster?.leave().catch(() => {});
      await pollers.stop().catch(() => {});
      await state?.close().catch(() => {});
      await locking.cleanup?.().catch(() => {});
      throw error;
    }
  }

  /**
   * Stops taking new runs, lets running ones finish within `graceMs` (then
   * aborts them and releases their locks), dispatches `onServerStop`, takes a
   * final snapshot, runs `cleanup` hooks and closes the lock backend.
   * Calling it again returns the same promise.
   */
  stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopping ??= this.#shutdown(options.graceMs ?? this.config.shutdownGraceMs);
    return this.#stopping;
  }

  /**
   * The cluster's run history, live nodes and paused targets, as this host
   * reads and writes them: what a dashboard shows.
   */
  get cluster(): ClusterStores {
    return this.#membership().stores;
  }

  /**
   * Pauses `target` on every node of the cluster (through the control
   * store), and on this one before it resolves. Firings of a paused
   * schedule are skipped as `paused`, manual runs included.
   */
  async pause(target: ControlTarget, options: PauseOptions = {}): Promise<void> {
    assertControlTarget(target, 'BelfryHost.pause');
    assertPauseOptions(options, 'BelfryHost.pause');
    await this.#membership().stores.control.pause(target, { ...options, by: options.by ?? this.config.nodeId });
    await this.#membership().syncPauses();
  }

  /** Lets `target` run again on every node, and on this one before it resolves. */
  async resume(target: ControlTarget): Promise<void> {
    assertControlTarget(target, 'BelfryHost.resume');
    await this.#membership().stores.control.resume(target);
    await this.#membership().syncPauses();
  }

  /** Runs a schedule now, on this node only (`scheduledAt` = now); resolves with its outcome. */
  runNow(plugin: string, scheduleId: string): Promise<RunOutcome> {
    return this.scheduler.trigger(plugin, scheduleId);
  }

  #membership(): ClusterMembership {
    // Set during start(), before the host is handed out.
    return this.#cluster!;
  }

  /** Adds a step to run first at shutdown, e.g. closing a server the host's status is served from. */
  onStop(step: () => void | Promise<void>): void {
    this.#stopSteps.push(step);
  }

  status(): HostStatus {
    return {
      nodeId: this.config.nodeId,
      backend: this.config.locking.backend,
      startedAt: this.#startedAt,
      scheduler: this.scheduler.status(),
      plugins: this.plugins.map((p) => ({ id: p.id, name: p.manifest.name, version: p.manifest.version, capabilities: [...p.manifest.capabilities] })),
      locks: [...this.#held.values()],
      snapshots: [...this.#snapshotRounds],
      warnings: [...backendWarnings(this.locking)],
      runHistory: this.#membership().historyStats(),
      pollers: this.#pollers.status(),
    };
  }

  async #shutdown(graceMs: number): Promise<void> {
    for (const step of this.#stopSteps) await step();
    const hookOptions = { timeoutMs: this.config.hookTimeoutMs, logger: this.#logger, clock: this.#clock };
    await this.#membership().stopping();
    await this.scheduler.stop({ graceMs });
    await this.#membership().flushRuns();
    // Runs are drained: no tick is in flight, so the poller processes can go.
    await this.#pollers.stop();
    await dispatchLifecycle(this.#lifecyclePlugins(), 'onServerStop', () => [], hookOptions);
    await this.#orchestrator.stop();
    await dispatchLifecycle(this.#lifecyclePlugins(), 'cleanup', () => [], hookOptions);
    for (const plugin of this.plugins) await plugin.scheduled?.cleanup?.();
    // Before the lock backend closes: a server-backed store may share its connection.
    await this.#membership().leave();
    await this.#state?.close();
    await this.locking.cleanup?.();
    this.#logger.info(`belfry host ${this.config.nodeId} stopped`);
  }

  #lifecyclePlugins() {
    return this.plugins.flatMap((p) => (p.lifecycle ? [p.lifecycle] : []));
  }

  #recordSnapshots(kind: SnapshotRound['kind'], entries: SnapshotReportEntry[]): void {
    this.#snapshotRounds.unshift({ at: this.#clock.now(), kind, entries });
    this.#snapshotRounds.splice(10);
  }

  #recordRuns(): void {
    // Hints and lock use are fixed once plugins are registered; read them once, not per run.
    const schedules = new Map(this.scheduler.status().schedules.map((s) => [runKey({ plugin: s.plugin, scheduleId: s.scheduleId }), s]));
    const scheduleOf = (e: { plugin: string; scheduleId: string }) => schedules.get(runKey({ plugin: e.plugin, scheduleId: e.scheduleId }));
    const key = (e: { plugin: string; scheduleId: string; scheduledAt: number }) => runKey(e);
    const base = (e: { plugin: string; scheduleId: string; scheduledAt: number; nodeId: string; isCatchup: boolean; manual: boolean }): Omit<RunRecord, 'outcome' | 'startedAt' | 'durationMs'> => ({
      plugin: e.plugin,
      scheduleId: e.scheduleId,
      scheduledAt: e.scheduledAt,
      nodeId: e.nodeId,
      locking: scheduleOf(e)?.locking ?? 'require_global',
      isCatchup: e.isCatchup,
      manual: e.manual,
    });
    this.scheduler.on('run:start', (e) => {
      if (e.fence !== undefined || scheduleOf(e)?.locked === true) {
        this.#held.set(key(e), { plugin: e.plugin, scheduleId: e.scheduleId, scheduledAt: e.scheduledAt, ...(e.fence === undefined ? {} : { fence: e.fence }), since: e.startedAt });
      }
    });
    // A poller run carries its tick's metrics.
    const metricsOf = (e: { plugin: string; scheduleId: string; scheduledAt: number }) => {
      const metrics = this.#pollers.takeMetrics(e);
      return metrics === undefined ? {} : { metrics };
    };
    this.scheduler.on('run:success', (e) => {
      const fence = this.#held.get(key(e))?.fence;
      this.#held.delete(key(e));
      this.runs.add({ ...base(e), outcome: 'success', startedAt: e.startedAt, durationMs: e.durationMs, ...(fence === undefined ? {} : { fence }), ...metricsOf(e) });
    });
    this.scheduler.on('run:error', (e) => {
      const fence = this.#held.get(key(e))?.fence;
      this.#held.delete(key(e));
      this.runs.add({ ...base(e), outcome: 'error', startedAt: e.startedAt, durationMs: e.durationMs, error: errorText(e.error), ...(fence === undefined ? {} : { fence }), ...metricsOf(e) });
    });
    this.scheduler.on('run:skip', (e) => {
      this.runs.add({ ...base(e), outcome: 'skipped', startedAt: this.#clock.now(), durationMs: 0, reason: e.reason, ...(e.error === undefined ? {} : { error: errorText(e.error) }) });
    });
  }
}
