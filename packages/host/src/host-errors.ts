import { BelfryError } from '@belfry/plugin-api';
import { redactSecrets } from '@belfry/internal';

/** The host's settings are wrong: the message names the file or variable, the key, and the fix. */
export class HostConfigError extends BelfryError {
  constructor(message: string) {
    // Messages quote settings and backend errors; no password may ride along.
    super('host_config', redactSecrets(message));
  }
}

/** The host could not start: plugins failed validation or loading, or a backend is unreachable. */
export class HostStartError extends BelfryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('host_start', redactSecrets(message), options);
  }
}
