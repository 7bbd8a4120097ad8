import { BelfryError } from '@belfry/plugin-api';
import { errorText } from './error-text.js';
import { redactSecrets } from './redact-secrets.js';

/** Stable code of every failure of the server behind a store. */
export const STORE_BACKEND = 'store_backend';

/**
 * The error a store call rejects with when the server cannot serve it
 * (down, too slow, connection lost, unreadable stored data): the store and
 * operation first, then what went wrong, the password never shown. The
 * driver's error is not attached as `cause`: its fields (ioredis errors carry
 * the command's arguments) could carry data or a credential into a log.
 */
export function storeBackendError(where: string, error: unknown): BelfryError {
  return new BelfryError(STORE_BACKEND, `${where}: ${redactSecrets(errorText(error))}`);
}
