import type { RunRecord } from '@belfry/plugin-api';

/** True when two plain-data values are equal, whatever the order of object keys. */
export function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** A valid run record started at `startedAt`, with `fields` replacing the defaults. */
export function runRecord(id: string, startedAt: number, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    plugin: 'billing',
    scheduleId: 'nightly',
    scheduledAt: startedAt,
    nodeId: 'node-a',
    locking: 'require_global',
    outcome: 'success',
    startedAt,
    durationMs: 12,
    isCatchup: false,
    manual: false,
    ...fields,
  };
}

/** The ids of `runs`, for failure messages and comparisons. */
export function idsOf(runs: readonly { id: string }[]): string[] {
  return runs.map((run) => run.id);
}
