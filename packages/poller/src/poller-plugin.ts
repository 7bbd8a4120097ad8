/** How a plugin's poller process lives: one reused process, or a fresh one per tick. */
export type PollerLifecycle = 'long_lived' | 'ephemeral';

/** The lifecycles, in the order the docs list them. */
export const POLLER_LIFECYCLES: readonly PollerLifecycle[] = ['long_lived', 'ephemeral'];

/** A manifest's `[plugin.poller]` section, camelCase, as the manifest validator returns it. */
export interface PollerSection {
  /** Kinds the plugin serves; non-empty, unique, each `^[a-z][a-z0-9_]+$`. */
  kinds: string[];
  /** Ticks are sent as `<brokerTopicPrefix>.tick`. Non-empty, no trailing `.`, no whitespace. */
  brokerTopicPrefix: string;
  /** Default `long_lived`. */
  lifecycle?: PollerLifecycle;
  /** Ticks in flight at once per kind, 1–64. Default 1. */
  maxConcurrentTicks?: number;
  /** How long a tick may take, including its wait for a free slot, 1–3600 s. Default 60. */
  tickTimeoutSecs?: number;
}

/** One plugin whose poller the runtime runs. */
export interface PollerPluginConfig {
  /** The manifest's plugin id, `^[a-z][a-z0-9_-]{0,62}$`; labels its log lines. */
  id: string;
  /** Absolute path of the plugin's folder: the process's working folder. */
  folder: string;
  /** The manifest's `entry`, relative to `folder` and inside it. `.js`/`.mjs`/`.cjs` run with this Node; anything else is executed directly. */
  entry: string;
  poller: PollerSection;
  /** Extra environment variables the operator grants this plugin; nothing else of the host's environment but PATH, HOME, LANG and TZ reaches it. */
  env?: Record<string, string>;
  /** `--max-old-space-size` (MiB) for a Node entry. Default: Node's own. */
  maxOldSpaceSizeMb?: number;
}
