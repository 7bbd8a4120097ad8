import { InvalidArgumentError, LOCKING_HINTS, RUN_RECORD_OUTCOMES, RUN_RECORD_SKIP_REASONS, type RunRecord } from '@belfry/plugin-api';
import { assertInteger, assertName, assertObject, assertOnlyKeys } from './assert-name.js';
import { describeValue } from './describe-value.js';

/** A run id: printable ASCII without spaces, so every store orders ids the same way (bytewise). */
export const RUN_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** Longest error text a run record may carry. */
export const MAX_RUN_ERROR_LENGTH = 8192;
/** Most tick metrics one run record may carry. */
export const MAX_RUN_METRICS = 64;

const KEYS = ['id', 'plugin', 'scheduleId', 'scheduledAt', 'nodeId', 'locking', 'outcome', 'skipReason', 'startedAt', 'durationMs', 'fence', 'isCatchup', 'manual', 'error', 'metrics'];

/** Throws InvalidArgumentError unless `runs` is an array of valid run records; the message names the record and field. */
export function assertRunRecords(runs: unknown, where: string): asserts runs is readonly RunRecord[] {
  if (!Array.isArray(runs)) throw new InvalidArgumentError(`${where}: runs must be an array of run records, got ${describeValue(runs)}`);
  runs.forEach((run, index) => assertRunRecord(run, `runs[${index}]`, where));
}

/** Throws InvalidArgumentError unless `run` is a valid run record; `label` names it in the message. */
export function assertRunRecord(run: unknown, label: string, where: string): asserts run is RunRecord {
  assertObject(run, label, where);
  assertOnlyKeys(run, KEYS, label, where);
  if (typeof run.id !== 'string' || !RUN_ID_PATTERN.test(run.id)) {
    throw new InvalidArgumentError(`${where}: ${label}.id must be 1 to 128 printable ASCII characters without spaces, got ${describeValue(run.id)}`);
  }
  assertName(run.plugin, `${label}.plugin`, where);
  assertName(run.scheduleId, `${label}.scheduleId`, where);
  assertInteger(run.scheduledAt, `${label}.scheduledAt`, where, 0);
  assertName(run.nodeId, `${label}.nodeId`, where);
  assertOneOf(run.locking, LOCKING_HINTS, `${label}.locking`, where);
  assertOneOf(run.outcome, RUN_RECORD_OUTCOMES, `${label}.outcome`, where);
  if (run.outcome === 'skipped') assertOneOf(run.skipReason, RUN_RECORD_SKIP_REASONS, `${label}.skipReason`, where);
  else if (run.skipReason !== undefined) {
    throw new InvalidArgumentError(`${where}: ${label}.skipReason is only for outcome "skipped", but outcome is ${JSON.stringify(run.outcome)}`);
  }
  assertInteger(run.startedAt, `${label}.startedAt`, where, 0);
  assertInteger(run.durationMs, `${label}.durationMs`, where, 0);
  if (run.fence !== undefined) assertInteger(run.fence, `${label}.fence`, where, 0);
  assertBoolean(run.isCatchup, `${label}.isCatchup`, where);
  assertBoolean(run.manual, `${label}.manual`, where);
  if (run.error !== undefined) {
    if (typeof run.error !== 'string' || run.error.length > MAX_RUN_ERROR_LENGTH) {
      throw new InvalidArgumentError(`${where}: ${label}.error must be message text of at most ${MAX_RUN_ERROR_LENGTH} characters, got ${describeValue(run.error)}`);
    }
    if (run.outcome === 'success') throw new InvalidArgumentError(`${where}: ${label}.error is set on a run whose outcome is "success"`);
  }
  if (run.metrics !== undefined) assertMetrics(run.metrics, `${label}.metrics`, where);
}

function assertMetrics(metrics: unknown, label: string, where: string): void {
  assertObject(metrics, label, where);
  const entries = Object.entries(metrics);
  if (entries.length > MAX_RUN_METRICS) throw new InvalidArgumentError(`${where}: ${label} has ${entries.length} entries; at most ${MAX_RUN_METRICS} are kept per run`);
  for (const [name, value] of entries) {
    assertName(name, `a metric name in ${label}`, where);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${where}: ${label}.${name} must be a finite number, got ${describeValue(value)}`);
    }
  }
}

/** Throws InvalidArgumentError unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], label: string, where: string): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`${where}: ${label} must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}, got ${describeValue(value)}`);
  }
}

function assertBoolean(value: unknown, label: string, where: string): void {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${where}: ${label} must be true or false, got ${describeValue(value)}`);
}
