import type { Schedule } from '@belfry/plugin-api';
import type { Firing, FiringOrigin } from '../src/firing.js';
import { normalizeSchedule } from '../src/normalize-schedule.js';
import { ScheduleEntry } from '../src/schedule-entry.js';

/** A schedule entry as the scheduler would register it, for tests of the pieces it is built from. */
export function entryFixture(pluginName: string, schedule: Partial<Schedule> = {}, { priority = 1000, order = 0 } = {}): ScheduleEntry {
  return new ScheduleEntry({
    plugin: { name: pluginName, schedules: () => [], run: () => undefined },
    pluginName,
    priority,
    order,
    scope: {},
    locked: false,
    schedule: normalizeSchedule(pluginName, { id: 's', cron: '1m', ...schedule }),
  });
}

/** A firing of `entry`, planned in epoch 0. */
export function firingFixture(entry: ScheduleEntry, scheduledAt: number, kind: FiringOrigin['kind'] = 'scheduled'): Firing {
  return { type: 'run', entry, scheduledAt, fireAt: scheduledAt, origin: { kind }, waits: kind === 'catchup', epoch: 0 };
}
