import { BelfryError, isBelfryError } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import type { TickParams } from '../protocol/messages.js';
import type { ResolvedPlugin } from '../resolved-plugin.js';
import { assertTimeLeft } from './assert-time-left.js';
import { KindSlots } from './kind-slots.js';
import type { PollerExecutor } from './poller-executor.js';
import { PollerProcess, type PollerProcessDeps } from './poller-process.js';
import { RestartBackoff } from './restart-backoff.js';
import { untilAborted } from './until-aborted.js';

/** How long `stop` waits for a process to leave after `shutdown` before SIGKILL. */
const STOP_GRACE_MS = 2000;

/**
 * `long_lived`: one process per plugin, reused by every tick. Each kind has
 * `maxConcurrentTicks` slots. When the process exits, its in-flight ticks
 * fail and it is started again after the backoff; ticks that arrive in the
 * meantime wait for that start (within their own deadline). A process that
 * sends nothing for a whole tick timeout after a cancel is taken as hung,
 * killed and restarted.
 */
export class LongLivedExecutor implements PollerExecutor {
  readonly plugin: ResolvedPlugin;
  readonly #deps: PollerProcessDeps;
  readonly #slots = new Map<string, KindSlots>();
  readonly #backoff: RestartBackoff;
  /** The running process, the start under way, or the start waiting out its backoff. */
  #current: Promise<PollerProcess> | null = null;
  #process: PollerProcess | null = null;
  /** The last process spawned, initialized or not. */
  #spawned: PollerProcess | null = null;
  readonly #stopping = new AbortController();
  #cancelRestart: (() => void) | null = null;
  #rejectRestart: ((error: Error) => void) | null = null;
  #stopped = false;
  /** Why the last process exited or failed to start; cleared by a successful start. */
  #lastFailure: string | null = null;
  readonly #hangWatches = new Set<() => void>();

  constructor(plugin: ResolvedPlugin, deps: PollerProcessDeps) {
    this.plugin = plugin;
    this.#deps = deps;
    this.#backoff = new RestartBackoff(deps.clock);
    for (const kind of plugin.kinds) this.#slots.set(kind, new KindSlots(plugin.maxConcurrentTicks));
  }

  async start(): Promise<void> {
    await this.#ready().catch(() => {});
  }

  /** The live process's pid, or null when none is running. */
  get pid(): number | null {
    return this.#process?.hasExited === false ? this.#process.pid : null;
  }

  async tick(params: TickParams, stop: AbortSignal): Promise<unknown> {
    const release = await this.#slots.get(params.kind)!.acquire(stop);
    try {
      assertTimeLeft(params, this.#deps.clock, `a free ${params.kind} slot`);
      const running = await untilAborted(this.#ready(), stop).catch((error: unknown) => {
        // Say why the process was not there, not merely that time ran out.
        if (stop.aborted && this.#lastFailure !== null && isBelfryError(error, 'poller_timeout')) {
          throw new BelfryError('poller_timeout', `the poller process was not running by the deadline (last failure: ${this.#lastFailure}); the tick was not sent`);
        }
        throw error;
      });
      assertTimeLeft(params, this.#deps.clock, 'the poller process to start');
      const { id, response } = running.request(this.plugin.tickMethod, params);
      try {
        return await untilAborted(response, stop);
      } catch (error) {
        if (stop.aborted) this.#cancel(running, id);
        throw error;
      }
    } finally {
      release();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelRestart?.();
    for (const cancelWatch of this.#hangWatches) cancelWatch();
    this.#hangWatches.clear();
    this.#rejectRestart?.(new BelfryError('poller_stopped', `poller ${this.plugin.id} is stopping`));
    this.#current = null;
    // A process still initializing is killed by the abort; a running one is asked to shut down.
    this.#stopping.abort(new BelfryError('poller_stopped', `poller ${this.plugin.id} is stopping`));
    const spawned = this.#spawned;
    if (spawned === null) return;
    if (spawned === this.#process) await spawned.retire(STOP_GRACE_MS, { term: false });
    else await spawned.exited;
  }

  #ready(): Promise<PollerProcess> {
    if (this.#stopped) return Promise.reject(new BelfryError('poller_stopped', `poller ${this.plugin.id} is stopped`));
    this.#current ??= this.#launch();
    return this.#current;
  }

  #launch(): Promise<PollerProcess> {
    const launching = PollerProcess.start(this.plugin, this.#deps, {
      initTimeoutMs: this.plugin.tickTimeoutMs,
      abort: this.#stopping.signal,
      onSpawn: (spawned) => {
        this.#spawned = spawned;
      },
    }).then(
      (running) => {
        if (this.#stopped) {
          running.kill();
          throw new BelfryError('poller_stopped', `poller ${this.plugin.id} is stopped`);
        }
        this.#process = running;
        this.#lastFailure = null;
        this.#backoff.started();
        void running.exited.then(() => {
          if (this.#process === running) this.#process = null;
          if (this.#stopped) return;
          this.#lastFailure = running.exitReason;
          this.#deps.logger.warn(`${running.exitReason}; its in-flight ticks failed`, { plugin: this.plugin.id });
          this.#scheduleRestart();
        });
        return running;
      },
      (error: unknown) => {
        this.#lastFailure = errorText(error);
        this.#deps.logger.error(errorText(error), { plugin: this.plugin.id });
        if (!this.#stopped) this.#scheduleRestart();
        throw error;
      },
    );
    launching.catch(() => {});
    return launching;
  }

  /** Replaces the current process with a start that waits out the backoff first. */
  #scheduleRestart(): void {
    const delay = this.#backoff.nextDelayMs();
    this.#deps.logger.info(`poller ${this.plugin.id}: restarting in ${delay} ms`, { plugin: this.plugin.id });
    const next = new Promise<PollerProcess>((resolve, reject) => {
      this.#rejectRestart = reject;
      this.#cancelRestart = this.#deps.clock.setTimer(() => {
        this.#cancelRestart = null;
        this.#rejectRestart = null;
        if (this.#stopped) return;
        this.#launch().then(resolve, reject);
      }, delay);
    });
    next.catch(() => {});
    this.#current = next;
  }

  /** Sends `$/cancel` and, if nothing at all comes back within a tick timeout, kills the process as hung. */
  #cancel(running: PollerProcess, id: number): void {
    running.cancel(id);
    const readBefore = running.messagesRead;
    const timeoutMs = this.plugin.tickTimeoutMs;
    const cancelWatch = this.#deps.clock.setTimer(() => {
      this.#hangWatches.delete(cancelWatch);
      if (running.hasExited || running.messagesRead > readBefore) return;
      this.#deps.logger.warn(`${running.label} sent nothing for ${timeoutMs} ms after a cancel; killing it as hung`, { plugin: this.plugin.id });
      running.kill();
    }, timeoutMs);
    this.#hangWatches.add(cancelWatch);
  }
}
