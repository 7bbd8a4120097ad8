import { InvalidArgumentError, type Clock } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';

interface PendingTimer {
  dueAt: number;
  seq: number;
  callback: () => void;
}

/** Lets every promise chain that is ready run to completion before time moves on. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function assertTime(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`ManualClock ${what} must be a finite number of milliseconds (got ${describeValue(value)})`);
  }
}

/**
 * A clock that only moves when told to, for tests of anything that takes a
 * `Clock`. `advance` / `advanceTo` fire due timers one at a time in time
 * order (ties in the order they were set), setting `now()` to each timer's
 * due time and letting pending promises settle before the next one fires.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Set<PendingTimer>();
  /** Serialises overlapping advance calls so time never moves backwards. */
  private moving: Promise<void> = Promise.resolve();

  constructor(startMs = 0) {
    assertTime(startMs, 'start time');
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    if (typeof callback !== 'function') {
      throw new InvalidArgumentError(`ManualClock.setTimer callback must be a function (got ${describeValue(callback)})`);
    }
    assertTime(delayMs, 'timer delay');
    const timer: PendingTimer = { dueAt: this.current + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.add(timer);
    return () => {
      this.timers.delete(timer);
    };
  }

  /** How many timers are set and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms` (≥ 0), firing due timers in order. */
  async advance(ms: number): Promise<void> {
    assertTime(ms, 'advance step');
    if (ms < 0) throw new InvalidArgumentError(`ManualClock.advance cannot go backwards (got ${ms})`);
    return this.enqueue(() => this.current + ms);
  }

  /** Moves time forward to `targetMs` (not before now), firing due timers in order. */
  async advanceTo(targetMs: number): Promise<void> {
    assertTime(targetMs, 'target time');
    if (targetMs < this.current) {
      throw new InvalidArgumentError(`ManualClock.advanceTo cannot go backwards: ${targetMs} is before now (${this.current})`);
    }
    return this.enqueue(() => targetMs);
  }

  /**
   * Sets the time without firing anything, forwards or backwards: a wall
   * clock jump (NTP step, manual change). Timers keep their due times.
   */
  jumpTo(targetMs: number): void {
    assertTime(targetMs, 'jump target');
    this.current = targetMs;
  }

  private enqueue(target: () => number): Promise<void> {
    const run = this.moving.then(() => this.moveTo(Math.max(this.current, target())));
    this.moving = run.catch(() => undefined);
    return run;
  }

  private async moveTo(targetMs: number): Promise<void> {
    await settle();
    for (;;) {
      const due = this.earliest();
      if (due === undefined || due.dueAt > targetMs) break;
      this.timers.delete(due);
      this.current = Math.max(this.current, due.dueAt);
      due.callback();
      await settle();
    }
    this.current = targetMs;
    await settle();
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (best === undefined || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
