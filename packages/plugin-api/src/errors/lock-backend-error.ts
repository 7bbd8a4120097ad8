import { BelfryError } from './belfry-error.js';

/** The lock backend is broken or unreachable (as opposed to the lock being held elsewhere). */
export class LockBackendError extends BelfryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('lock_backend', message, options);
  }
}
