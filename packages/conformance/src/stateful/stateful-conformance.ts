import type { StatefulPlugin } from '@belfry/plugin-api';

/** How the stateful suite makes instances of the plugin under test. */
export interface StatefulFactory {
  /** A fresh instance in its default state, sharing nothing with other instances. */
  create(): Promise<StatefulPlugin> | StatefulPlugin;
  /** Disposes of what `create` returned. */
  destroy?(plugin: StatefulPlugin): Promise<void> | void;
  /**
   * Moves `plugin` to a state different from the one it is in, the way real use
   * would (e.g. count once, add an entry). Each call must change the state again.
   */
  change(plugin: StatefulPlugin): Promise<void> | void;
}

/** What a plugin claims; every claimed capability is tested, the rest reported as not claimed. */
export interface StatefulCapabilities {
  /** The plugin implements `restoreSnapshot`. */
  restore?: boolean;
  /**
   * The snapshot versions `restoreSnapshot` reads. Default: only the version
   * `snapshot()` writes. Any other version must be refused with UnsupportedVersionError.
   */
  readsVersions?: number[];
}

/** A stateful plugin presented to the suite. */
export interface StatefulConformance {
  /** Label in reports, e.g. `'counter'`. */
  name: string;
  factory: StatefulFactory;
  capabilities: StatefulCapabilities;
  /** Longest one rule may take, in ms. Default 10,000. */
  ruleTimeoutMs?: number;
}
