import type { JsonValue, LifecyclePlugin, LockingPlugin, ScheduledPlugin, StatefulPlugin } from '@belfry/plugin-api';
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
  /** The lock backend this plugin provides (`[plugin.locking]`): its name, and how to build it from `[locking.options]`. */
  locking?: { backend: string; create(options: JsonValue): Promise<LockingPlugin> };
}
