import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { findEntry } from './find-entry.js';
import type { ScheduleEntry } from './schedule-entry.js';

export interface Registry {
  /** Entries by schedule key. */
  entries: ReadonlyMap<string, ScheduleEntry>;
  /** Entries by plugin name. */
  plugins: ReadonlyMap<string, ScheduleEntry[]>;
}

/**
 * The schedules a call names: one (plugin and schedule id), all of a
 * plugin's (plugin only), or every one (neither). An unknown name is an
 * `InvalidArgumentError` naming the method and what was asked for.
 */
export function selectEntries(registry: Registry, pluginName: string | undefined, scheduleId: string | undefined, method: string): ScheduleEntry[] {
  if (pluginName === undefined) {
    if (scheduleId !== undefined) throw new InvalidArgumentError(`${method}(): a schedule id needs a plugin name`);
    return [...registry.entries.values()];
  }
  if (scheduleId !== undefined) return [findEntry(registry.entries, pluginName, scheduleId, method)];
  const entries = typeof pluginName === 'string' ? registry.plugins.get(pluginName) : undefined;
  if (entries === undefined) {
    throw new InvalidArgumentError(`${method}(): no plugin ${describeValue(pluginName)} is registered`);
  }
  return entries;
}
