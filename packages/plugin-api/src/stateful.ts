/** A plugin's state, frozen as opaque bytes. */
export interface StatefulSnapshot {
  /** The plugin id the bytes belong to; routes them back on restore. */
  id: string;
  /** The plugin's own format version for `bytes`; a positive integer. */
  version: number;
  /** The state itself, in the plugin's format. */
  bytes: Uint8Array;
}

/** A plugin whose state survives restarts. */
export interface StatefulPlugin {
  /** Stable id, unique among a host's stateful plugins. */
  readonly id: string;
  /** Captures current state. Must not change it. */
  snapshot(): StatefulSnapshot | Promise<StatefulSnapshot>;
  /**
   * Puts back state saved earlier. Throw `UnsupportedVersionError` for a
   * version it cannot read: the host then discards the bytes and keeps the
   * default state. Omitted: saved state is ignored.
   */
  restoreSnapshot?(snapshot: StatefulSnapshot): void | Promise<void>;
}
