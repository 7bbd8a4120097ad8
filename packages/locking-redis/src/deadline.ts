/**
 * One timer shared by every call of a round: `race` settles like the given
 * promise, or rejects with `message` once `timeoutMs` have passed since
 * the deadline was made. `cancel` when the round is over; the timer never
 * keeps the process alive either way.
 */
export class Deadline {
  /** When the deadline passes, on the `performance.now()` scale. */
  readonly at: number;
  private readonly expired: Promise<never>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number, message: string) {
    this.at = performance.now() + timeoutMs;
    this.expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => reject(new Error(message)), timeoutMs);
      this.timer.unref();
    });
    this.expired.catch(() => undefined);
  }

  get passed(): boolean {
    return performance.now() >= this.at;
  }

  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.expired]);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
