import { BelfryError } from './belfry-error.js';

/**
 * Thrown by `restoreSnapshot` for a snapshot version the plugin cannot
 * read. Hosts treat it as a reset, not a failure: discard the bytes and
 * keep the default state.
 */
export class UnsupportedVersionError extends BelfryError {
  /** Id of the plugin that refused the snapshot. */
  readonly plugin: string;
  /** The version found in the snapshot. */
  readonly version: number;
  /** The versions the plugin can read. */
  readonly expected: number[];

  constructor(details: { plugin: string; version: number; expected: number[] }) {
    super(
      'unsupported_version',
      `Plugin ${JSON.stringify(details.plugin)} cannot read snapshot version ${details.version} (reads ${details.expected.join(', ') || 'none'}); its state is reset`,
    );
    this.plugin = details.plugin;
    this.version = details.version;
    this.expected = [...details.expected];
  }
}
