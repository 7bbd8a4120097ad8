import type { Clock } from '@belfry/plugin-api';
import { firingBefore } from './firing-before.js';
import type { TimelineItem } from './firing.js';
import { PriorityQueue } from './priority-queue.js';

/**
 * What the scheduler waits for, earliest first, behind one timer. The
 * timer is never set further out than `maxTimerDelayMs`, so clock jumps and
 * suspensions are noticed. `close()` starts a new epoch: items planned
 * before it are ignored wherever they still are.
 */
export class Timeline {
  private readonly queue = new PriorityQueue<TimelineItem>(firingBefore);
  private cancelTimer: (() => void) | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private timerToken = 0;
  private currentEpoch = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxTimerDelayMs: number,
    private readonly onTimer: () => void,
  ) {}

  get epoch(): number {
    return this.currentEpoch;
  }

  /** True when `item` was planned in the current epoch. */
  isCurrent(item: TimelineItem): boolean {
    return item.epoch === this.currentEpoch;
  }

  push(item: TimelineItem): void {
    this.queue.push(item);
  }

  /**
   * Takes every current item whose time has come by the clock, earliest
   * first. A timer that fires early finds nothing; one that fires twice
   * finds nothing left the second time.
   */
  takeDue(now: number): TimelineItem[] {
    const due: TimelineItem[] = [];
    for (let top = this.queue.peek(); top !== undefined && top.fireAt <= now; top = this.queue.peek()) {
      this.queue.pop();
      if (this.isCurrent(top)) due.push(top);
    }
    return due;
  }

  /** Every current item, in no particular order. */
  pending(): TimelineItem[] {
    return this.queue.values().filter((item) => this.isCurrent(item));
  }

  /** Sets the one timer for the earliest item, never further out than `maxTimerDelayMs`. */
  arm(): void {
    const now = this.clock.now();
    const top = this.queue.peek();
    const dueAt = Math.min(top === undefined ? Number.POSITIVE_INFINITY : top.fireAt, now + this.maxTimerDelayMs);
    if (this.cancelTimer !== undefined && dueAt === this.timerDueAt) return;
    this.cancelTimer?.();
    this.timerDueAt = dueAt;
    const token = ++this.timerToken;
    this.cancelTimer = this.clock.setTimer(() => this.fired(token), Math.max(0, dueAt - now));
  }

  /** Drops every item and the timer, and starts a new epoch. */
  close(): void {
    this.currentEpoch += 1;
    this.disarm();
    this.queue.clear();
  }

  private fired(token: number): void {
    // A clock that calls back twice, or late after a re-arm, reaches here with an old token: ignore it.
    if (token !== this.timerToken) return;
    this.disarm();
    this.onTimer();
  }

  private disarm(): void {
    this.timerToken += 1;
    const cancel = this.cancelTimer;
    this.cancelTimer = undefined;
    this.timerDueAt = Number.POSITIVE_INFINITY;
    cancel?.();
  }
}
