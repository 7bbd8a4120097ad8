import type { JsonValue } from '@belfry/plugin-api';

/** What a tick of one kind is sent: a job's `config` and the `cursor` it resumes from. */
export interface PollerTickInput {
  /** Default `{}`. */
  config?: JsonValue;
  /** Default `null`, as on a job's first tick. */
  cursor?: JsonValue;
}

/** A tick that keeps the poller busy until it is cancelled, e.g. one whose source never answers. */
export interface PollerSlowTick extends PollerTickInput {
  kind: string;
}

/** A plugin's poller presented to the suite. */
export interface PollerConformance {
  /** Label in reports, e.g. `'rss plugin'`. */
  name: string;
  /** The plugin folder: its `plugin.toml` has a `[plugin.poller]` section and an `entry` inside the folder. */
  folder: string;
  /** Sample tick input per kind the manifest declares; a kind not listed gets `{ config: {}, cursor: null }`. */
  ticks?: Record<string, PollerTickInput>;
  /** A tick that runs until cancelled; giving it claims `cancel` (POLL-008). */
  slowTick?: PollerSlowTick;
  /** Environment variables granted to the poller, as an operator would (it inherits only PATH, HOME, LANG and TZ). */
  env?: Record<string, string>;
  /** Longest one rule may take, in ms. Default: four tick timeouts plus 10 s. */
  ruleTimeoutMs?: number;
}
