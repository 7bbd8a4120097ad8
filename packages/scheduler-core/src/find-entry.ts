import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import type { ScheduleEntry } from './schedule-entry.js';
import { scheduleKey } from './schedule-key.js';

/** The registered schedule a call names, or an `InvalidArgumentError` naming the method and what was asked for. */
export function findEntry(entries: ReadonlyMap<string, ScheduleEntry>, pluginName: unknown, scheduleId: unknown, method: string): ScheduleEntry {
  const entry = typeof pluginName === 'string' && typeof scheduleId === 'string' ? entries.get(scheduleKey(pluginName, scheduleId)) : undefined;
  if (entry === undefined) {
    throw new InvalidArgumentError(`${method}(): no schedule ${describeValue(scheduleId)} registered for plugin ${describeValue(pluginName)}`);
  }
  return entry;
}
