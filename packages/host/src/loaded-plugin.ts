import type { LifecyclePlugin, ScheduledPlugin, StatefulPlugin } from '@belfry/plugin-api';
import type { PluginManifest } from '@belfry/manifest-validator';

/** A validated, imported plugin and the capabilities it serves, each shaped for its consumer. */
export interface LoadedPlugin {
  id: string;
  /** Absolute folder of the plugin. */
  dir: string;
  manifest: PluginManifest;
  scheduled?: ScheduledPlugin;
  stateful?: StatefulPlugin;
  lifecycle?: LifecyclePlugin;
}
