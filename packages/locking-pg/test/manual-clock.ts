import type { Clock } from '@belfry/plugin-api';

/** A clock that moves only when told to and fires due timers in time order. */
export class ManualClock implements Clock {
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(private current = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    const timer = { at: this.current + Math.max(0, delayMs), callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.current = due.at;
      due.callback();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.current = target;
  }
}
