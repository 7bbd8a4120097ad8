import { BelfryError, InvalidArgumentError, PLUGIN_API_VERSION, systemClock, type Clock, type Logger } from '@belfry/plugin-api';
import { describeValue, errorDetails } from '@belfry/internal';
import { assertTickRequest } from './assert-tick-request.js';
import { assertMaxOldSpaceMb } from './heap-limit.js';
import type { CursorStore } from '@belfry/plugin-api';
import type { PollerPluginConfig } from './poller-plugin.js';
import { EphemeralExecutor } from './process/ephemeral-executor.js';
import { LongLivedExecutor } from './process/long-lived-executor.js';
import type { PollerExecutor } from './process/poller-executor.js';
import type { PollerProcessDeps } from './process/poller-process.js';
import { untilAborted } from './process/until-aborted.js';
import { parseTickAck } from './protocol/parse-tick-ack.js';
import { quietLogger } from './quiet-logger.js';
import type { TickParams } from './protocol/messages.js';
import { resolvePlugins } from './resolve-plugins.js';
import type { TickRequest, TickResult } from './tick-request.js';

/** Options of {@link PollerRuntime}. */
export interface PollerRuntimeOptions {
  /** The plugins with a `[plugin.poller]` section; each kind must belong to one of them only. */
  plugins: PollerPluginConfig[];
  /** Where job cursors live between ticks; on a cluster, a shared store. */
  cursors: CursorStore;
  /** Source of time for deadlines, restart backoff and kill grace periods. Default: `systemClock`. */
  clock?: Clock;
  /** Receives the pollers' stderr lines (info, labelled `[plugin id]`), protocol errors and restarts. Default: `console`. */
  logger?: Logger;
  /** Longest stdout or stderr line read from a poller; a longer one is dropped and logged. Default 1 MiB. */
  maxLineBytes?: number;
}

const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/**
 * Runs the poller kinds plugins declare, each plugin's ticks in its own
 * process(es) as its `[plugin.poller]` section says. `runTick` is what a
 * scheduled run calls: it loads the job's cursor, sends the tick, waits up
 * to the plugin's tick timeout and saves the returned cursor with the run's
 * fence.
 */
export class PollerRuntime {
  readonly #executors = new Map<string, PollerExecutor>();
  readonly #byKind = new Map<string, PollerExecutor>();
  readonly #cursors: CursorStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #stopping: Promise<void> | null = null;

  constructor(options: PollerRuntimeOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`PollerRuntime: options must be an object { plugins, cursors, clock?, logger? }, got ${describeValue(options)}`);
    }
    const { cursors, clock = systemClock, logger = console, maxLineBytes = DEFAULT_MAX_LINE_BYTES } = options;
    if (typeof cursors?.load !== 'function' || typeof cursors.save !== 'function') {
      throw new InvalidArgumentError(`PollerRuntime: options.cursors must be a CursorStore { load, save } (MemoryCursorStore, FileCursorStore or a cluster store), got ${describeValue(cursors)}`);
    }
    if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidArgumentError(`PollerRuntime: options.clock must be a Clock { now, setTimer }, got ${describeValue(clock)}`);
    }
    if (typeof logger?.info !== 'function' || typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
      throw new InvalidArgumentError(`PollerRuntime: options.logger must be a Logger { info, warn, error }, got ${describeValue(logger)}`);
    }
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1024 || maxLineBytes > 64 * 1024 * 1024) {
      throw new InvalidArgumentError(`PollerRuntime: options.maxLineBytes must be an integer from 1024 to 67108864, got ${describeValue(maxLineBytes)}`);
    }
    this.#cursors = cursors;
    this.#clock = clock;
    this.#logger = quietLogger(logger);
    const deps: PollerProcessDeps = { clock, logger: this.#logger, apiVersion: PLUGIN_API_VERSION, maxLineBytes };
    for (const plugin of resolvePlugins(options.plugins)) {
      const executor = plugin.lifecycle === 'long_lived' ? new LongLivedExecutor(plugin, deps) : new EphemeralExecutor(plugin, deps);
      this.#executors.set(plugin.id, executor);
      for (const kind of plugin.kinds) this.#byKind.set(kind, executor);
    }
  }

  /** Every kind served, with the plugin serving it. */
  kinds(): Array<{ kind: string; plugin: string }> {
    return [...this.#byKind].map(([kind, executor]) => ({ kind, plugin: executor.plugin.id }));
  }

  /** The pid of a long-lived plugin's running process (its process group), or null. */
  pidOf(pluginId: string): number | null {
    const executor = this.#executors.get(pluginId);
    return executor instanceof LongLivedExecutor ? executor.pid : null;
  }

  /** Starts every long-lived poller and resolves once each answered initialize or failed (failures are logged and retried with backoff). */
  async start(): Promise<void> {
    await Promise.all([...this.#executors.values()].map((executor) => executor.start()));
  }

  /** Runs one tick of a job; see the README for the outcomes. Rejects only for invalid arguments. */
  async runTick(request: TickRequest): Promise<TickResult> {
    assertTickRequest(request);
    const executor = this.#byKind.get(request.kind);
    if (executor === undefined) {
      const known = [...this.#byKind.keys()].join(', ') || 'none';
      throw new InvalidArgumentError(`PollerRuntime.runTick: no loaded plugin serves kind ${JSON.stringify(request.kind)} (job ${JSON.stringify(request.job)}); kinds served: ${known}`);
    }
    if (request.maxOldSpaceSizeMb !== undefined) this.#assertJobHeapLimit(request, executor);
    const startedAt = this.#clock.now();
    const finish = (result: Omit<TickResult, 'durationMs'>): TickResult => {
      if (result.error !== undefined) {
        this.#logger.warn(`poller job ${request.job} (${request.kind}): tick ${result.outcome}: ${result.error.message}`, { job: request.job, kind: request.kind, code: result.error.code });
      }
      return { ...result, durationMs: this.#clock.now() - startedAt };
    };
    if (this.#stopping !== null) return finish({ outcome: 'error', error: { code: 'poller_stopped', message: 'the poller runtime is stopping' } });

    const timeoutMs = executor.plugin.tickTimeoutMs;
    const deadline = startedAt + timeoutMs;
    const stop = new AbortController();
    const cancelTimer = this.#clock.setTimer(
      () => stop.abort(new BelfryError('poller_timeout', `no answer within the tick timeout of ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const onCallerAbort = (): void => stop.abort(new BelfryError('poller_cancelled', 'the run was aborted (its signal fired) before the poller answered'));
    if (request.signal?.aborted === true) onCallerAbort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      let stored;
      try {
        stored = await untilAborted(this.#cursors.load(request.job), stop.signal);
      } catch (error) {
        if (stop.signal.aborted) throw error;
        throw new BelfryError('cursor_store', `could not load the cursor: ${errorDetails(error).message}`, { cause: error });
      }
      const params: TickParams = {
        job: request.job,
        kind: request.kind,
        scheduledAt: request.scheduledAt,
        isCatchup: request.isCatchup ?? false,
        fence: request.fence ?? null,
        deadline,
        cursor: stored?.cursor ?? null,
        config: request.config ?? null,
      };
      const reply = await executor.tick(params, stop.signal, request.maxOldSpaceSizeMb === undefined ? {} : { maxOldSpaceSizeMb: request.maxOldSpaceSizeMb });
      const parsed = parseTickAck(reply);
      if (!parsed.ok) throw new BelfryError('poller_protocol', `the poller's reply is not a valid TickAck: ${parsed.reason}`);
      const { cursor, metrics } = parsed.ack;
      // Without a fence of its own the run saves at the stored fence: allowed, and never above a fenced run.
      const fence = request.fence ?? stored?.fence ?? 0;
      let saved;
      try {
        saved = await this.#cursors.save(request.job, cursor, fence);
      } catch (error) {
        return finish({ outcome: 'error', ...(metrics === undefined ? {} : { metrics }), error: { code: 'cursor_store', message: `the poller answered but its cursor could not be saved: ${errorDetails(error).message}` } });
      }
      if (saved === 'stale') {
        return finish({
          outcome: 'stale',
          ...(metrics === undefined ? {} : { metrics }),
          error: { code: 'cursor_stale', message: `a run with a higher fence than ${fence} already saved this job's cursor; this tick's cursor was not stored` },
        });
      }
      return finish({ outcome: 'ok', ...(metrics === undefined ? {} : { metrics }) });
    } catch (error) {
      const { code = 'poller_tick_failed', message } = errorDetails(error);
      const outcome = code === 'poller_timeout' ? 'timeout' : code === 'poller_cancelled' && stop.signal.aborted ? 'cancelled' : 'error';
      return finish({ outcome, error: { code, message } });
    } finally {
      cancelTimer();
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** A job's own heap limit needs a process of its own, started with Node. */
  #assertJobHeapLimit(request: TickRequest, executor: PollerExecutor): void {
    const where = `PollerRuntime.runTick: job ${JSON.stringify(request.job)}: maxOldSpaceSizeMb`;
    const { id, lifecycle, entryPath } = executor.plugin;
    if (lifecycle !== 'ephemeral') {
      throw new InvalidArgumentError(`${where} applies to ephemeral pollers only; plugin ${JSON.stringify(id)} is ${lifecycle}, so its one process serves every job: set maxOldSpaceSizeMb on the plugin instead`);
    }
    assertMaxOldSpaceMb(request.maxOldSpaceSizeMb, entryPath, where);
  }

  /**
   * Sends shutdown to every long-lived poller, SIGKILLs the process group of
   * any still there 2 s later (and of every ephemeral or still-starting one at
   * once), and resolves when every watchdog has exited. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= Promise.all([...this.#executors.values()].map((executor) => executor.stop())).then(() => undefined);
    return this.#stopping;
  }
}
