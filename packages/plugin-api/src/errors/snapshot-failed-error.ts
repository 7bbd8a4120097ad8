import { BelfryError } from './belfry-error.js';

/** A stateful plugin's state could not be captured or saved. */
export class SnapshotFailedError extends BelfryError {
  /** Id of the plugin whose snapshot failed. */
  readonly plugin: string;

  constructor(plugin: string, reason: string, options?: { cause?: unknown }) {
    super('snapshot_failed', `Snapshot of plugin ${JSON.stringify(plugin)} failed: ${reason}`, options);
    this.plugin = plugin;
  }
}
