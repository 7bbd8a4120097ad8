import { RestoreFailedError, UnsupportedVersionError, type StatefulSnapshot } from '@belfry/plugin-api';
import { SCHEDULER_STATE_VERSION, type PersistedScheduleState } from './persisted-schedule-state.js';

function isState(value: unknown): value is PersistedScheduleState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.plugin === 'string' &&
    typeof v.scheduleId === 'string' &&
    typeof v.expression === 'string' &&
    typeof v.timezone === 'string' &&
    typeof v.handledThrough === 'number' &&
    Number.isFinite(v.handledThrough) &&
    (v.lastScheduledAt === null || (typeof v.lastScheduledAt === 'number' && Number.isFinite(v.lastScheduledAt)))
  );
}

/** Reads bytes written by `encodeSchedulerState`; refuses other versions and malformed documents. */
export function decodeSchedulerState(id: string, snapshot: StatefulSnapshot): PersistedScheduleState[] {
  if (typeof snapshot !== 'object' || snapshot === null || !(snapshot.bytes instanceof Uint8Array)) {
    throw new RestoreFailedError(id, 'the snapshot must be { id, version, bytes: Uint8Array }');
  }
  if (snapshot.version !== SCHEDULER_STATE_VERSION) {
    throw new UnsupportedVersionError({ plugin: id, version: snapshot.version, expected: [SCHEDULER_STATE_VERSION] });
  }
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(snapshot.bytes));
  } catch (error) {
    throw new RestoreFailedError(id, 'the snapshot bytes are not the JSON document the scheduler writes', { cause: error });
  }
  const schedules = (document as { schedules?: unknown } | null)?.schedules;
  if (!Array.isArray(schedules) || !schedules.every(isState)) {
    throw new RestoreFailedError(id, 'the snapshot does not list schedules as { plugin, scheduleId, expression, timezone, handledThrough, lastScheduledAt }');
  }
  return schedules;
}
