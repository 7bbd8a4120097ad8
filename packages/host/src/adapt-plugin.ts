import type { JsonValue, LifecyclePlugin, LockingPlugin, Schedule, ScheduledPlugin, ScheduledRunCtx, StatefulPlugin, StatefulSnapshot } from '@belfry/plugin-api';
import type { PluginManifest } from '@belfry/manifest-validator';
import { HostStartError } from './host-errors.js';
import type { LoadedPlugin } from './loaded-plugin.js';

type Exported = Record<string, unknown>;

const lifecycleHooks = ['onServerStart', 'onServerStop', 'onRequestComplete', 'onCacheWrite', 'onCacheInvalidate', 'onReload', 'cleanup'] as const;

function requireFunction(exported: Exported, name: string, capability: string, where: string): (...args: unknown[]) => unknown {
  const value = exported[name];
  if (typeof value !== 'function') {
    throw new HostStartError(`${where}: capability "${capability}" is declared in plugin.toml but the entry's export has no ${name}() function`);
  }
  return (value as (...args: unknown[]) => unknown).bind(exported);
}

/**
 * Shapes a plugin's exported object into the capability interfaces its
 * manifest declares. Names and ids come from the manifest, so they cannot
 * drift from what was validated; schedules come from the manifest unless the
 * export provides `schedules()`.
 */
export function adaptPlugin(manifest: PluginManifest, dir: string, exported: Exported, where: string): LoadedPlugin {
  const loaded: LoadedPlugin = { id: manifest.id, dir, manifest };
  const priority = typeof exported.priority === 'number' ? exported.priority : undefined;
  const capabilities = new Set<string>(manifest.capabilities);

  if (capabilities.has('scheduled')) {
    const run = requireFunction(exported, 'run', 'scheduled', where);
    const ownSchedules = typeof exported.schedules === 'function' ? (exported.schedules as () => Schedule[] | Promise<Schedule[]>).bind(exported) : undefined;
    const scheduled: ScheduledPlugin = {
      name: manifest.id,
      ...(priority === undefined ? {} : { priority }),
      schedules: ownSchedules ?? (() => manifest.schedules.map((schedule) => ({ ...schedule }) as Schedule)),
      run: (ctx: ScheduledRunCtx) => run(ctx) as void | Promise<void>,
    };
    // A lifecycle plugin's cleanup is dispatched with the other hooks; call it once only.
    if (typeof exported.cleanup === 'function' && !capabilities.has('lifecycle')) {
      scheduled.cleanup = (exported.cleanup as () => void | Promise<void>).bind(exported);
    }
    loaded.scheduled = scheduled;
  }

  if (capabilities.has('stateful')) {
    const snapshot = requireFunction(exported, 'snapshot', 'stateful', where);
    const restore = typeof exported.restoreSnapshot === 'function' ? (exported.restoreSnapshot as (s: StatefulSnapshot) => unknown).bind(exported) : undefined;
    const stateful: StatefulPlugin = {
      id: manifest.id,
      snapshot: async () => ({ ...((await snapshot()) as Omit<StatefulSnapshot, 'id'>), id: manifest.id }),
      ...(restore === undefined ? {} : { restoreSnapshot: async (s: StatefulSnapshot) => void (await restore(s)) }),
    };
    loaded.stateful = stateful;
  }

  if (capabilities.has('lifecycle')) {
    const hooks = lifecycleHooks.filter((hook) => typeof exported[hook] === 'function');
    if (hooks.length === 0) {
      throw new HostStartError(`${where}: capability "lifecycle" is declared in plugin.toml but the entry's export has none of ${lifecycleHooks.join(', ')}`);
    }
    const lifecycle: LifecyclePlugin = { name: manifest.id, ...(priority === undefined ? {} : { priority }) };
    for (const hook of hooks) Object.assign(lifecycle, { [hook]: (exported[hook] as (...a: unknown[]) => unknown).bind(exported) });
    loaded.lifecycle = lifecycle;
  }

  if (capabilities.has('locking') && manifest.locking !== undefined) {
    const create = requireFunction(exported, 'createLocking', 'locking', where);
    loaded.locking = { backend: manifest.locking.backend, create: async (options: JsonValue) => (await create(options)) as LockingPlugin };
  }
  return loaded;
}
