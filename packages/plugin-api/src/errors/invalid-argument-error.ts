import { BelfryError } from './belfry-error.js';

/** A public entry point was called with a value it cannot accept. */
export class InvalidArgumentError extends BelfryError {
  constructor(message: string) {
    super('invalid_argument', message);
  }
}
