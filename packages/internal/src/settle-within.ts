import type { Clock } from '@belfry/plugin-api';

/** How long to wait, on which clock, and what to do when the wait is over. */
export interface SettleWithinOptions<T> {
  /** Deadline in ms from the call. */
  ms: number;
  /** The error to reject with when the deadline passes first. */
  timeoutError: () => Error;
  /** Clock the deadline runs on. Default: a real timer that never keeps the process alive. */
  clock?: Clock;
  /** Receives a value that arrived after the deadline, e.g. to release a late connection. */
  onLateValue?: (value: T) => void;
}

/**
 * Settles like `work`, or rejects with `timeoutError()` once `ms` have
 * passed, whichever comes first. `work` may be a promise or a function
 * (a function that throws synchronously rejects). The work itself is not
 * cancelled; the caller stops waiting for it, and `onLateValue` gets what
 * it produces too late.
 */
export function settleWithin<T>(work: Promise<T> | (() => T | Promise<T>), options: SettleWithinOptions<T>): Promise<T> {
  const { ms, timeoutError, clock, onLateValue } = options;
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const expire = () => {
      late = true;
      reject(timeoutError());
    };
    const cancel = clock === undefined ? realTimer(expire, ms) : clock.setTimer(expire, ms);
    const running = typeof work === 'function' ? Promise.resolve().then(work) : work;
    running.then(
      (value) => {
        if (late) onLateValue?.(value);
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}

function realTimer(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
