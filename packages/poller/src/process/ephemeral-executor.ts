import { BelfryError } from '@belfry/plugin-api';
import type { TickParams } from '../protocol/messages.js';
import type { ResolvedPlugin } from '../resolved-plugin.js';
import { assertTimeLeft } from './assert-time-left.js';
import { KindSlots } from './kind-slots.js';
import type { PollerExecutor, TickProcessOptions } from './poller-executor.js';
import { PollerProcess, type PollerProcessDeps } from './poller-process.js';
import { untilAborted } from './until-aborted.js';

/** How long a process may take to leave after SIGTERM before SIGKILL. */
const TERM_GRACE_MS = 2000;

/**
 * `ephemeral`: a fresh process per tick (initialize, tick, shutdown). After
 * its reply it gets `shutdown` and SIGTERM, and SIGKILL 2 s later if it is
 * still there; at the deadline it is SIGKILLed at once. `maxConcurrentTicks`
 * bounds the processes of one kind alive at a time.
 */
export class EphemeralExecutor implements PollerExecutor {
  readonly plugin: ResolvedPlugin;
  readonly #deps: PollerProcessDeps;
  readonly #slots = new Map<string, KindSlots>();
  /** Every process not yet known to have exited, so `stop` leaves none behind. */
  readonly #alive = new Set<PollerProcess>();
  #stopped = false;

  constructor(plugin: ResolvedPlugin, deps: PollerProcessDeps) {
    this.plugin = plugin;
    this.#deps = deps;
    for (const kind of plugin.kinds) this.#slots.set(kind, new KindSlots(plugin.maxConcurrentTicks));
  }

  async start(): Promise<void> {}

  async tick(params: TickParams, stop: AbortSignal, options: TickProcessOptions = {}): Promise<unknown> {
    const release = await this.#slots.get(params.kind)!.acquire(stop);
    let running: PollerProcess | null = null;
    try {
      if (this.#stopped) throw new BelfryError('poller_stopped', `poller ${this.plugin.id} is stopped`);
      assertTimeLeft(params, this.#deps.clock, `a free ${params.kind} slot`);
      running = await untilAborted(
        PollerProcess.start(this.#forTick(options), this.#deps, { initTimeoutMs: this.plugin.tickTimeoutMs, abort: stop, onSpawn: (spawned) => this.#track(spawned) }),
        stop,
      );
      const { response } = running.request(this.plugin.tickMethod, params);
      return await untilAborted(response, stop);
    } finally {
      if (running !== null) {
        if (stop.aborted) running.kill();
        else void running.retire(TERM_GRACE_MS, { term: true });
      }
      // The slot frees when the tick is over; the process being reaped does not hold it.
      release();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const exits = [...this.#alive].map((running) => {
      running.kill();
      return running.exited;
    });
    await Promise.all(exits);
  }

  /** The plugin with the job's own heap limit, when it has one. */
  #forTick({ maxOldSpaceSizeMb }: TickProcessOptions): ResolvedPlugin {
    return maxOldSpaceSizeMb === undefined ? this.plugin : { ...this.plugin, maxOldSpaceSizeMb };
  }

  #track(running: PollerProcess): void {
    this.#alive.add(running);
    void running.exited.then(() => this.#alive.delete(running));
    if (this.#stopped) running.kill();
  }
}
