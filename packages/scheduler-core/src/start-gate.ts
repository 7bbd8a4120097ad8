import { PriorityQueue } from './priority-queue.js';

interface Waiter<T> {
  item: T;
  open: () => void;
}

/**
 * Where firings whose locks are held wait to start. The gate opens one
 * microtask after the first arrival, and lets everyone waiting then
 * through in `before` order — so firings whose locks answer together start
 * in priority order, and none waits for another firing's lock answer.
 */
export class StartGate<T> {
  private readonly waiting: PriorityQueue<Waiter<T>>;
  private scheduled = false;

  constructor(before: (a: T, b: T) => boolean) {
    this.waiting = new PriorityQueue<Waiter<T>>((a, b) => before(a.item, b.item));
  }

  /** Resolves when `item`'s turn to start has come. */
  wait(item: T): Promise<void> {
    return new Promise<void>((open) => {
      this.waiting.push({ item, open });
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => this.openAll());
    });
  }

  private openAll(): void {
    this.scheduled = false;
    // Promises resolved in this order continue in this order.
    for (let waiter = this.waiting.pop(); waiter !== undefined; waiter = this.waiting.pop()) waiter.open();
  }
}
