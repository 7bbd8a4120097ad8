/**
 * At most `limit` ticks of one kind in flight; the rest wait in order. A
 * waiter whose signal aborts leaves the line without ever taking a slot, so
 * a tick still waiting at its deadline is never sent.
 */
export class KindSlots {
  readonly #limit: number;
  #busy = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const take = (): void => {
        signal.removeEventListener('abort', leave);
        this.#busy++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.#busy--;
          this.#waiting.shift()?.();
        });
      };
      const leave = (): void => {
        const index = this.#waiting.indexOf(take);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(signal.reason);
      };
      if (this.#busy < this.#limit) {
        take();
        return;
      }
      this.#waiting.push(take);
      signal.addEventListener('abort', leave, { once: true });
    });
  }
}
