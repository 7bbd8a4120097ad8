import { BelfryError } from '@belfry/plugin-api';

/** The host's settings are wrong: the message names the file or variable, the key, and the fix. */
export class HostConfigError extends BelfryError {
  constructor(message: string) {
    super('host_config', message);
  }
}

/** The host could not start: plugins failed validation or loading, or a backend is unreachable. */
export class HostStartError extends BelfryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('host_start', message, options);
  }
}
