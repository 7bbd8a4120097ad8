import type { Clock, Control, Logger, PausedTarget } from '@belfry/plugin-api';
import { errorText, settleWithin } from '@belfry/internal';
import { controlTargetSchedule, type PollerJobSchedule } from './control-target-schedule.js';
import { runKey } from './run-key.js';

/** What the sync needs of the scheduler: its schedules and their pause switch. */
export interface PausableScheduler {
  status(): { schedules: { plugin: string; scheduleId: string; paused: boolean }[] };
  pause(plugin: string, scheduleId: string): void;
  resume(plugin: string, scheduleId: string): void;
}

/** Options of {@link ControlSync}. */
export interface ControlSyncOptions {
  control: Control;
  scheduler: PausableScheduler;
  clock: Clock;
  logger: Logger;
  /** Maps a `poller_job` target to its schedule. */
  pollerJobSchedule: PollerJobSchedule;
  /** Longest the first read of the paused list may take at start, in ms on `clock`. Default 5000. */
  readTimeoutMs?: number;
}

/**
 * Makes this node's scheduler follow the cluster's paused list: every
 * schedule a paused target names is paused here, every other one runs. The
 * list is the whole truth each time it arrives, so a lost notification is
 * healed by the next one, and a schedule paused on this node alone (through
 * the scheduler directly) is resumed by the next list — pauses go through
 * `Control`.
 */
export class ControlSync {
  readonly #options: ControlSyncOptions;
  #unwatch: (() => void) | null = null;

  constructor(options: ControlSyncOptions) {
    this.#options = options;
  }

  /** Applies the current list (so nothing paused fires at boot), then follows changes. Never rejects: an unreadable store is a warning. */
  async start(): Promise<void> {
    const { control, clock, logger } = this.#options;
    const readTimeoutMs = this.#options.readTimeoutMs ?? 5_000;
    try {
      this.apply(await settleWithin(() => control.paused(), { ms: readTimeoutMs, clock, timeoutError: () => new Error(`no answer within ${readTimeoutMs} ms`) }));
    } catch (error) {
      logger.warn(`belfry host: could not read the cluster's paused schedules (${errorText(error)}); this node runs every schedule until the list arrives`);
    }
    this.#unwatch = control.watch((paused) => this.apply(paused));
  }

  /** Stops following the list; pauses already applied stay. */
  stop(): void {
    this.#unwatch?.();
    this.#unwatch = null;
  }

  /** Pauses exactly the schedules `paused` names on this node and resumes the rest. */
  apply(paused: readonly PausedTarget[]): void {
    const { scheduler, pollerJobSchedule, logger } = this.#options;
    const wanted = new Map<string, PausedTarget>();
    for (const entry of paused) {
      const schedule = controlTargetSchedule(entry.target, pollerJobSchedule);
      if (schedule !== undefined) wanted.set(runKey(schedule), entry);
    }
    for (const { plugin, scheduleId, paused: isPaused } of scheduler.status().schedules) {
      const entry = wanted.get(runKey({ plugin, scheduleId }));
      if (entry !== undefined && !isPaused) {
        scheduler.pause(plugin, scheduleId);
        const by = entry.by === undefined ? '' : ` by ${entry.by}`;
        logger.info(`belfry host: ${plugin}/${scheduleId} paused across the cluster${by}${entry.reason === undefined ? '' : ` (${entry.reason})`}`);
      } else if (entry === undefined && isPaused) {
        scheduler.resume(plugin, scheduleId);
        logger.info(`belfry host: ${plugin}/${scheduleId} resumed across the cluster`);
      }
    }
  }
}
