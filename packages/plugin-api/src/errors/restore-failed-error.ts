import { BelfryError } from './belfry-error.js';

/** Saved state could not be loaded or handed back to its plugin. */
export class RestoreFailedError extends BelfryError {
  /** Id of the plugin whose restore failed. */
  readonly plugin: string;

  constructor(plugin: string, reason: string, options?: { cause?: unknown }) {
    super('restore_failed', `Restore of plugin ${JSON.stringify(plugin)} failed: ${reason}`, options);
    this.plugin = plugin;
  }
}
