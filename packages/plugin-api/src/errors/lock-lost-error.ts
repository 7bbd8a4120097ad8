import { BelfryError } from './belfry-error.js';

/** A renew found that the caller no longer holds the lock: it expired or was taken over. */
export class LockLostError extends BelfryError {
  /** The key whose lock was lost. */
  readonly key: string;

  constructor(key: string, message = `Lock on ${JSON.stringify(key)} is no longer held by this handle (expired or taken over)`) {
    super('lock_lost', message);
    this.key = key;
  }
}
