/**
 * The source of time for everything in Belfry that waits or measures.
 * Injecting one (for example scheduler-core's `ManualClock`) makes
 * time-dependent behaviour testable without real waiting.
 */
export interface Clock {
  /** Current time in milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `callback` once after `delayMs` milliseconds (clamped to ≥ 0).
   * Returns a function that cancels the timer; cancelling twice is harmless.
   */
  setTimer(callback: () => void, delayMs: number): () => void;
}
