import { dirname } from 'node:path';
import type { Clock, LockingPlugin, Logger } from '@belfry/plugin-api';
import { systemClock } from '@belfry/plugin-api';
import { consoleLogger, errorText } from '@belfry/internal';
import { Scheduler, type SchedulerStatus } from '@belfry/scheduler-core';
import { SnapshotOrchestrator, StatefulRegistry, type SnapshotReportEntry } from '@belfry/stateful-registry';
import { createLocking } from './create-locking.js';
import { discoverPlugins } from './discover-plugins.js';
import { dispatchLifecycle } from './dispatch-lifecycle.js';
import type { HostConfig } from './host-config.js';
import { loadHostConfig, type LoadHostConfigOptions } from './load-host-config.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import { loadPlugins } from './load-plugins.js';
import { redactingLogger } from './redacting-logger.js';
import { RunLog, type RunRecord } from './run-log.js';
import { runKey } from './run-key.js';
import { secretsOf } from './secrets-of.js';
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
  #state: FileState | SharedState | undefined;

  private constructor(
    readonly config: HostConfig,
    readonly plugins: LoadedPlugin[],
    readonly locking: LockingPlugin,
    readonly scheduler: Scheduler,
    orchestrator: SnapshotOrchestrator,
    logger: Logger,
    clock: Clock,
  ) {
    this.#orchestrator = orchestrator;
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
    const state = await selectSnapshotStore(config, logger);
    let locking: LockingPlugin;
    try {
      locking = await createLocking(config, plugins, logger, state.kind === 'shared' ? state.lockingOptions : undefined);
    } catch (error) {
      if (state.kind === 'shared') await state.close().catch(() => {});
      throw error;
    }
    try {
      const scheduler = new Scheduler({
        locking,
        clock,
        logger,
        nodeId: config.nodeId,
        skewToleranceMs: config.scheduler.skewToleranceMs,
        lockTtlMs: config.scheduler.lockTtlMs,
      });
      const snapshots = wireSnapshotStore(state, { scheduler, locking, clock, logger, nodeId: config.nodeId, lockTtlMs: config.scheduler.lockTtlMs });
      for (const plugin of plugins) if (plugin.scheduled) await scheduler.register(snapshots.scheduled({ ...plugin, scheduled: plugin.scheduled }));

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

      host = new BelfryHost(config, plugins, locking, scheduler, orchestrator, logger, clock);
      host.#state = state;
      host.#recordRuns();
      host.#recordSnapshots('restore', await orchestrator.restoreAll());
      await dispatchLifecycle(host.#lifecyclePlugins(), 'onServerStart', (plugin) => [config.plugins[plugin.name] ?? {}], {
        timeoutMs: config.hookTimeoutMs,
        logger,
        clock,
      });
      await scheduler.start();
      if (config.snapshotIntervalMs > 0) orchestrator.start();
      logger.info(`belfry host ${config.nodeId} started: ${plugins.length} plugin(s), ${config.locking.backend} locks, state in ${state.where}`);
      return host;
    } catch (error) {
      await locking.cleanup?.().catch(() => {});
      if (state.kind === 'shared') await state.close().catch(() => {});
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
    };
  }

  async #shutdown(graceMs: number): Promise<void> {
    for (const step of this.#stopSteps) await step();
    const hookOptions = { timeoutMs: this.config.hookTimeoutMs, logger: this.#logger, clock: this.#clock };
    await this.scheduler.stop({ graceMs });
    await dispatchLifecycle(this.#lifecyclePlugins(), 'onServerStop', () => [], hookOptions);
    await this.#orchestrator.stop();
    await dispatchLifecycle(this.#lifecyclePlugins(), 'cleanup', () => [], hookOptions);
    for (const plugin of this.plugins) await plugin.scheduled?.cleanup?.();
    await this.locking.cleanup?.();
    // The shared connection outlives the lock backend that borrowed it.
    if (this.#state?.kind === 'shared') await this.#state.close();
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
    const base = (e: { plugin: string; scheduleId: string; scheduledAt: number; nodeId: string; isCatchup: boolean }): Omit<RunRecord, 'outcome' | 'startedAt' | 'durationMs'> => ({
      plugin: e.plugin,
      scheduleId: e.scheduleId,
      scheduledAt: e.scheduledAt,
      nodeId: e.nodeId,
      locking: scheduleOf(e)?.locking ?? 'require_global',
      isCatchup: e.isCatchup,
    });
    this.scheduler.on('run:start', (e) => {
      if (e.fence !== undefined || scheduleOf(e)?.locked === true) {
        this.#held.set(key(e), { plugin: e.plugin, scheduleId: e.scheduleId, scheduledAt: e.scheduledAt, ...(e.fence === undefined ? {} : { fence: e.fence }), since: e.startedAt });
      }
    });
    this.scheduler.on('run:success', (e) => {
      const fence = this.#held.get(key(e))?.fence;
      this.#held.delete(key(e));
      this.runs.add({ ...base(e), outcome: 'success', startedAt: e.startedAt, durationMs: e.durationMs, ...(fence === undefined ? {} : { fence }) });
    });
    this.scheduler.on('run:error', (e) => {
      this.#held.delete(key(e));
      this.runs.add({ ...base(e), outcome: 'error', startedAt: e.startedAt, durationMs: e.durationMs, error: errorText(e.error) });
    });
    this.scheduler.on('run:skip', (e) => {
      this.runs.add({ ...base(e), outcome: 'skipped', startedAt: this.#clock.now(), durationMs: 0, reason: e.reason });
    });
  }
}
