import {
  InvalidArgumentError,
  isBelfryError,
  LOCKING_HINTS,
  MISSED_RUN_POLICIES,
  ScheduleParseError,
  type LockingHint,
  type MissedRunPolicy,
  type Schedule,
} from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { parseOneShot } from './parse-one-shot.js';
import { parseSchedule } from './parse-schedule.js';
import type { ParsedSchedule } from './parsed-schedule.js';

const POLICIES: readonly MissedRunPolicy[] = MISSED_RUN_POLICIES;
const HINTS: readonly LockingHint[] = LOCKING_HINTS;

/** A declared schedule with defaults applied and its expression parsed. */
export interface NormalizedSchedule {
  schedule: Schedule;
  id: string;
  parsed: ParsedSchedule;
  jitterMs: number;
  policy: MissedRunPolicy;
  hint: LockingHint;
  timeoutMs: number | undefined;
}

function where(plugin: string, id: unknown, field?: string): string {
  const schedule = typeof id === 'string' ? `schedule ${JSON.stringify(id)}` : 'a schedule';
  const owner = `${schedule} of plugin ${JSON.stringify(plugin)}`;
  return field === undefined ? owner : `Field "${field}" of ${owner}`;
}

/** Checks one declared schedule and applies its defaults; errors name the plugin, schedule and field. */
export function normalizeSchedule(plugin: string, value: unknown): NormalizedSchedule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`Each schedule of plugin ${JSON.stringify(plugin)} must be an object (got ${describeValue(value)})`);
  }
  const s = value as Partial<Record<keyof Schedule, unknown>>;
  if (typeof s.id !== 'string' || s.id.length === 0 || s.id.length > 200) {
    throw new InvalidArgumentError(`Schedule id of plugin ${JSON.stringify(plugin)} must be a non-empty string of at most 200 characters (got ${describeValue(s.id)})`);
  }
  const id = s.id;
  if ((s.cron === undefined) === (s.at === undefined)) {
    throw new InvalidArgumentError(
      `${where(plugin, id)} must give exactly one of cron (a repeating expression such as 5m) or at (a one-shot instant such as 2026-12-01T09:00:00Z); it gives ${s.cron === undefined ? 'neither' : 'both'}`,
    );
  }
  if (s.cron !== undefined && typeof s.cron !== 'string') {
    throw new InvalidArgumentError(`The cron expression of ${where(plugin, id)} must be a string (got ${describeValue(s.cron)})`);
  }
  if (s.at !== undefined && typeof s.at !== 'string') {
    throw new InvalidArgumentError(`${where(plugin, id, 'at')} must be an ISO 8601 instant string such as 2026-12-01T09:00:00Z (got ${describeValue(s.at)})`);
  }
  if (s.timezone !== undefined && typeof s.timezone !== 'string') {
    throw new InvalidArgumentError(`${where(plugin, id, 'timezone')} must be an IANA zone name (got ${describeValue(s.timezone)})`);
  }
  if (s.description !== undefined && typeof s.description !== 'string') {
    throw new InvalidArgumentError(`${where(plugin, id, 'description')} must be a string (got ${describeValue(s.description)})`);
  }
  const jitterMs = s.jitterMs ?? 0;
  if (typeof jitterMs !== 'number' || !Number.isSafeInteger(jitterMs) || jitterMs < 0) {
    throw new InvalidArgumentError(`${where(plugin, id, 'jitterMs')} must be a non-negative integer of ms (got ${describeValue(s.jitterMs)})`);
  }
  const policy = s.missedRunPolicy ?? 'run_once';
  if (!POLICIES.includes(policy as MissedRunPolicy)) {
    throw new InvalidArgumentError(`${where(plugin, id, 'missedRunPolicy')} must be one of ${POLICIES.join(', ')} (got ${describeValue(s.missedRunPolicy)})`);
  }
  const hint = s.locking ?? 'require_global';
  if (!HINTS.includes(hint as LockingHint)) {
    throw new InvalidArgumentError(`${where(plugin, id, 'locking')} must be one of ${HINTS.join(', ')} (got ${describeValue(s.locking)})`);
  }
  const timeoutMs = s.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)) {
    throw new InvalidArgumentError(`${where(plugin, id, 'timeoutMs')} must be a positive integer of ms (got ${describeValue(timeoutMs)})`);
  }
  const expression = (s.cron ?? s.at) as string;
  let parsed: ParsedSchedule;
  try {
    parsed =
      s.at !== undefined
        ? parseOneShot(s.at as string)
        : parseSchedule(expression, s.timezone === undefined ? {} : { timezone: s.timezone });
  } catch (error) {
    if (error instanceof ScheduleParseError || isBelfryError(error, 'schedule_parse')) {
      const parseError = error as ScheduleParseError;
      // The same error made with no reason is the prefix to take off.
      const prefix = new ScheduleParseError(parseError.expression, '', parseError.part).message;
      const reason = parseError.message.startsWith(prefix) ? parseError.message.slice(prefix.length) : parseError.message;
      throw new ScheduleParseError(expression, `${reason} (in ${where(plugin, id)})`, parseError.part);
    }
    throw error;
  }
  return {
    schedule: value as Schedule,
    id,
    parsed,
    jitterMs,
    policy: policy as MissedRunPolicy,
    hint: hint as LockingHint,
    timeoutMs,
  };
}
