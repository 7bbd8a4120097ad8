/** The parts of a plugin's `plugin.toml` the poller suite needs, with the manifest's defaults applied. */
export interface PollerManifest {
  /** `[plugin] id`. */
  id: string;
  /** The absolute plugin folder: the poller's working folder. */
  folder: string;
  /** Absolute path of `[plugin] entry`. */
  entryPath: string;
  kinds: string[];
  /** `<broker_topic_prefix>.tick`. */
  tickMethod: string;
  lifecycle: 'long_lived' | 'ephemeral';
  maxConcurrentTicks: number;
  tickTimeoutMs: number;
}
