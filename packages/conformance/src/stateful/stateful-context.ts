import type { StatefulPlugin } from '@belfry/plugin-api';

/** What each stateful rule gets: a fresh plugin and a way to make more. */
export interface StatefulContext {
  /** A fresh instance in its default state. */
  plugin: StatefulPlugin;
  /** Another fresh instance, disposed of with the rule. */
  fresh(): Promise<StatefulPlugin>;
  /** Changes a plugin's state, as the target's factory does. */
  change(plugin: StatefulPlugin): Promise<void>;
  /** The versions the plugin declares it reads, or undefined for "only the one it writes". */
  readsVersions: readonly number[] | undefined;
}
