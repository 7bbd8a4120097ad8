import { systemClock, type Clock, type Control, type ControlListener, type ControlTarget, type Logger, type PauseOptions, type PausedTarget } from '@belfry/plugin-api';
import { assertControlListener, assertStoreOptions, assertControlTarget, assertPauseOptions, compareControlTargets, controlTargetKey, errorText } from '@belfry/internal';

/** Options of {@link MemoryControl}. */
export interface MemoryControlOptions {
  /** The clock `pausedAt` is read from. Default `systemClock`. */
  clock?: Clock;
  /** Where a watcher that throws is reported. Default: not reported. */
  logger?: Logger;
}

interface Watcher {
  listener: ControlListener;
  active: boolean;
}

/** What peers share: the paused targets by key, and every peer's watchers. */
interface Board {
  paused: Map<string, PausedTarget>;
  watchers: Set<Watcher>;
}

/**
 * Keeps cluster-wide pauses in this process's memory: the embedded default,
 * where the cluster is this process. Watchers are told on the next
 * microtask after a change, always with the list as it is then, so they
 * never see an older list after a newer one. `peer()` gives another handle
 * on the same pauses and watchers, as a second node in this process would
 * have.
 */
export class MemoryControl implements Control {
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  #board: Board = { paused: new Map(), watchers: new Set() };

  constructor(options: MemoryControlOptions = {}) {
    assertStoreOptions(options, ['clock', 'logger'], 'MemoryControl');
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
  }

  /** Another handle on the same pauses, with the same clock and logger. */
  peer(): MemoryControl {
    const other = new MemoryControl({ clock: this.#clock, ...(this.#logger === undefined ? {} : { logger: this.#logger }) });
    other.#board = this.#board;
    return other;
  }

  async pause(target: ControlTarget, options?: PauseOptions): Promise<void> {
    assertControlTarget(target, 'MemoryControl.pause');
    assertPauseOptions(options, 'MemoryControl.pause');
    const entry: PausedTarget = { target: copyTarget(target), pausedAt: this.#clock.now() };
    if (options?.by !== undefined) entry.by = options.by;
    if (options?.reason !== undefined) entry.reason = options.reason;
    this.#board.paused.set(controlTargetKey(target), entry);
    this.#notifyAll();
  }

  async resume(target: ControlTarget): Promise<void> {
    assertControlTarget(target, 'MemoryControl.resume');
    if (this.#board.paused.delete(controlTargetKey(target))) this.#notifyAll();
  }

  async paused(): Promise<PausedTarget[]> {
    return this.#list();
  }

  watch(listener: ControlListener): () => void {
    assertControlListener(listener, 'MemoryControl.watch');
    const watcher: Watcher = { listener, active: true };
    this.#board.watchers.add(watcher);
    this.#notify(watcher);
    return () => {
      watcher.active = false;
      this.#board.watchers.delete(watcher);
    };
  }

  #list(): PausedTarget[] {
    return [...this.#board.paused.values()].map((entry) => structuredClone(entry)).sort((a, b) => compareControlTargets(a.target, b.target));
  }

  #notifyAll(): void {
    for (const watcher of this.#board.watchers) this.#notify(watcher);
  }

  /** Calls the watcher on the next microtask, with the list as it is then. */
  #notify(watcher: Watcher): void {
    queueMicrotask(() => {
      if (!watcher.active) return;
      try {
        watcher.listener(this.#list());
      } catch (error) {
        this.#logger?.warn(`MemoryControl: a watcher threw: ${errorText(error)}`);
      }
    });
  }
}

function copyTarget(target: ControlTarget): ControlTarget {
  return target.kind === 'schedule' ? { kind: 'schedule', plugin: target.plugin, scheduleId: target.scheduleId } : { kind: 'poller_job', jobId: target.jobId };
}
