import { InvalidArgumentError, isBelfryError, type Clock, type Logger, type RunHistory, type RunRecord } from '@belfry/plugin-api';
import { assertRunRecord, errorText, settleWithin } from '@belfry/internal';

/** Options of {@link RunRecorder}. */
export interface RunRecorderOptions {
  history: RunHistory;
  clock: Clock;
  logger: Logger;
  /** Most runs sent in one `append`. Default 100. */
  batchSize?: number;
  /** How long a run waits for others to share its `append`, in ms on `clock`. Also the retry delay after a failure. Default 1000. */
  flushIntervalMs?: number;
  /** Most runs kept while the store is failing; beyond it the oldest are dropped (and counted). Default 5000. */
  maxPending?: number;
  /** Longest one `append` may take before it counts as failed (and is retried), in ms on `clock`. Default 10000. */
  appendTimeoutMs?: number;
}

/** What the recorder has done, for status and tests. */
export interface RunRecorderStats {
  /** Runs the store has accepted. */
  appended: number;
  /** Runs waiting to be sent (or resent). */
  pending: number;
  /** Runs given up on: refused by the store as invalid, past `maxPending`, or still unsent at stop. */
  dropped: number;
  /** The last append failed and has not succeeded since. */
  failing: boolean;
}

const positiveInteger = (value: unknown, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`RunRecorder: option "${name}" must be a positive integer, got ${String(value)}`);
  }
  return value;
};

/**
 * Appends this node's runs to the cluster's run history, off the runs' own
 * path: `record` only queues, and batches are sent on the clock (or as soon
 * as a batch is full), one `append` at a time. A failing or hanging store
 * costs a warning, never a run: runs wait (bounded by `maxPending`) and are
 * retried — safely, since a record's id makes a repeated append a no-op.
 */
export class RunRecorder {
  readonly #history: RunHistory;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #maxPending: number;
  readonly #appendTimeoutMs: number;
  #pending: RunRecord[] = [];
  #flushing: Promise<void> | null = null;
  #cancelTimer: (() => void) | null = null;
  #stopped = false;
  #stats: RunRecorderStats = { appended: 0, pending: 0, dropped: 0, failing: false };

  constructor(options: RunRecorderOptions) {
    this.#history = options.history;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#batchSize = positiveInteger(options.batchSize, 'batchSize', 100);
    this.#flushIntervalMs = positiveInteger(options.flushIntervalMs, 'flushIntervalMs', 1000);
    this.#maxPending = positiveInteger(options.maxPending, 'maxPending', 5000);
    this.#appendTimeoutMs = positiveInteger(options.appendTimeoutMs, 'appendTimeoutMs', 10_000);
  }

  /** Queues `run`; a record no store would accept is logged and left out, so it cannot sink the batch it would join. */
  record(run: RunRecord): void {
    if (this.#stopped) return;
    try {
      assertRunRecord(run, 'run', 'RunRecorder.record');
    } catch (error) {
      this.#stats.dropped += 1;
      this.#logger.warn(`belfry host: a run of ${run.plugin}/${run.scheduleId} was left out of the run history: ${errorText(error)}`);
      return;
    }
    this.#pending.push(run);
    this.#trimPending();
    if (this.#pending.length >= this.#batchSize) void this.flush();
    else this.#arm();
  }

  /** Sends every queued run now; resolves when the queue is empty or an append failed (the runs stay queued). Never rejects. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /**
   * Sends what is queued, waiting at most `timeoutMs` on the clock, then
   * stops: later runs are not recorded, and runs still unsent are dropped
   * (counted, with one warning). Never rejects.
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.#stopped) return;
    try {
      await settleWithin(this.flush(), { ms: timeoutMs, clock: this.#clock, timeoutError: () => new Error('timed out') });
    } catch {
      // Reported below with what was left.
    }
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    if (this.#pending.length > 0) {
      this.#logger.warn(`belfry host: ${this.#pending.length} run(s) could not be written to the run history before shutdown and are not recorded there`);
      this.#stats.dropped += this.#pending.length;
      this.#pending = [];
    }
  }

  stats(): RunRecorderStats {
    return { ...this.#stats, pending: this.#pending.length };
  }

  #arm(): void {
    if (this.#cancelTimer !== null || this.#stopped) return;
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = null;
      void this.flush();
    }, this.#flushIntervalMs);
  }

  #trimPending(): void {
    const excess = this.#pending.length - this.#maxPending;
    if (excess <= 0) return;
    this.#pending.splice(0, excess);
    this.#stats.dropped += excess;
    this.#logger.warn(`belfry host: the run history is behind by more than ${this.#maxPending} runs; the ${excess} oldest were dropped`);
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0 && !this.#stopped) {
      // The batch stays queued while it is in flight, so a stop that gives up on it counts it.
      const batch = this.#pending.slice(0, this.#batchSize);
      try {
        await settleWithin(this.#history.append(batch), {
          ms: this.#appendTimeoutMs,
          clock: this.#clock,
          timeoutError: () => new Error(`no answer within ${this.#appendTimeoutMs} ms`),
        });
      } catch (error) {
        if (isBelfryError(error) && error.code === 'invalid_argument') {
          // Resending cannot help; dropping the batch keeps the runs after it flowing.
          this.#remove(batch);
          this.#stats.dropped += batch.length;
          this.#logger.warn(`belfry host: the run history refused ${batch.length} run(s), which are not recorded: ${errorText(error)}`);
          continue;
        }
        if (!this.#stats.failing) {
          this.#logger.warn(`belfry host: the run history store failed (${errorText(error)}); runs are kept (at most ${this.#maxPending}) and retried every ${this.#flushIntervalMs} ms`);
        }
        this.#stats.failing = true;
        this.#arm();
        return;
      }
      this.#remove(batch);
      this.#stats.appended += batch.length;
      if (this.#stats.failing) {
        this.#stats.failing = false;
        this.#logger.info('belfry host: the run history store works again');
      }
    }
  }

  #remove(batch: readonly RunRecord[]): void {
    const sent = new Set(batch);
    this.#pending = this.#pending.filter((run) => !sent.has(run));
  }
}
