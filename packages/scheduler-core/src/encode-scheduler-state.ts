import type { StatefulSnapshot } from '@belfry/plugin-api';
import { SCHEDULER_STATE_VERSION, type PersistedScheduleState } from './persisted-schedule-state.js';

/** Writes the scheduler's per-schedule state as versioned JSON bytes. */
export function encodeSchedulerState(id: string, states: Iterable<PersistedScheduleState>): StatefulSnapshot {
  const document = { schedules: [...states] };
  return { id, version: SCHEDULER_STATE_VERSION, bytes: new TextEncoder().encode(JSON.stringify(document)) };
}
