import { BelfryError } from './belfry-error.js';

/** A run passed its schedule's `timeoutMs`; the run's `signal` aborts with this reason. */
export class RunTimeoutError extends BelfryError {
  /** The deadline that passed, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message = `Run did not finish within its timeout of ${timeoutMs} ms`) {
    super('run_timeout', message);
    this.timeoutMs = timeoutMs;
  }
}
