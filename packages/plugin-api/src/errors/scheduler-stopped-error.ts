import { BelfryError } from './belfry-error.js';

/**
 * The scheduler is stopping or stopped: a running run's `signal` aborts with
 * this reason when the grace period ends, and calls that need a running
 * scheduler reject with it.
 */
export class SchedulerStoppedError extends BelfryError {
  constructor(message = 'The scheduler is stopping or stopped') {
    super('scheduler_stopped', message);
  }
}
