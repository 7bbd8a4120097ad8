import type { Clock } from '@belfry/plugin-api';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
/** A process that ran this long was healthy: its exit starts the backoff afresh. */
const HEALTHY_AFTER_MS = 60_000;

/** Restart delays of a long-lived poller: 1 s, doubling to 60 s, reset after a minute of health. */
export class RestartBackoff {
  readonly #clock: Clock;
  #failures = 0;
  #upSince: number | null = null;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The process started and answered initialize. */
  started(): void {
    this.#upSince = this.#clock.now();
  }

  /** The process exited or failed to start: how long to wait before the next start. */
  nextDelayMs(): number {
    if (this.#upSince !== null && this.#clock.now() - this.#upSince >= HEALTHY_AFTER_MS) this.#failures = 0;
    this.#upSince = null;
    const delay = Math.min(FIRST_DELAY_MS * 2 ** Math.min(this.#failures, 16), MAX_DELAY_MS);
    this.#failures++;
    return delay;
  }
}
