import { InvalidArgumentError, RUN_HISTORY_DEFAULTS, RUN_HISTORY_MAX_LIMIT, RUN_RECORD_OUTCOMES } from '@belfry/plugin-api';
import type { RunHistoryOptions, RunHistoryQuery, RunRecord, RunRecordOutcome } from '@belfry/plugin-api';
import { assertInteger, assertName, assertObject, assertOnlyKeys } from './assert-name.js';
import { RUN_ID_PATTERN, assertOneOf } from './assert-run-record.js';
import { describeValue } from './describe-value.js';

/** Where a page ends: the last run it returned. The next page starts strictly after it. */
export interface HistoryPosition {
  startedAt: number;
  id: string;
}

/** A query after validation, with `before` decoded. */
export interface CheckedHistoryQuery {
  plugin?: string;
  scheduleId?: string;
  outcome?: RunRecordOutcome;
  nodeId?: string;
  before: HistoryPosition | null;
  limit: number;
}

const QUERY_KEYS = ['plugin', 'scheduleId', 'outcome', 'nodeId', 'before', 'limit'];
const CURSOR = /^h1:(\d{1,16}):([\x21-\x7e]{1,128})$/;

/** The opaque `next` cursor for a page that ended at `position`. */
export function encodeHistoryCursor(position: HistoryPosition): string {
  return `h1:${position.startedAt}:${position.id}`;
}

/** Newest first: later `startedAt` first, then the greater id. Negative when `a` comes before `b`. */
export function compareRunsNewestFirst(a: HistoryPosition, b: HistoryPosition): number {
  if (a.startedAt !== b.startedAt) return b.startedAt - a.startedAt;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** Validates a RunHistory query and decodes its `before` cursor; throws InvalidArgumentError naming the bad field. */
export function checkHistoryQuery(query: unknown, where: string): CheckedHistoryQuery {
  assertObject(query, 'query', where);
  assertOnlyKeys(query, QUERY_KEYS, 'query', where);
  const checked: CheckedHistoryQuery = { before: null, limit: 0 };
  for (const key of ['plugin', 'scheduleId', 'nodeId'] as const) {
    const value = query[key];
    if (value === undefined) continue;
    assertName(value, `query.${key}`, where);
    checked[key] = value;
  }
  if (query.outcome !== undefined) {
    assertOneOf(query.outcome, RUN_RECORD_OUTCOMES, 'query.outcome', where);
    checked.outcome = query.outcome;
  }
  if (query.before !== undefined) checked.before = decodeHistoryCursor(query.before, where);
  assertInteger(query.limit, 'query.limit', where, 1);
  if (query.limit > RUN_HISTORY_MAX_LIMIT) throw new InvalidArgumentError(`${where}: query.limit must be at most ${RUN_HISTORY_MAX_LIMIT}, got ${query.limit}`);
  checked.limit = query.limit;
  return checked;
}

function decodeHistoryCursor(cursor: unknown, where: string): HistoryPosition {
  const match = typeof cursor === 'string' ? CURSOR.exec(cursor) : null;
  const startedAt = Number(match?.[1]);
  if (match === null || !Number.isSafeInteger(startedAt) || !RUN_ID_PATTERN.test(match[2]!)) {
    throw new InvalidArgumentError(`${where}: query.before must be the "next" of a previous page, got ${describeValue(cursor)}`);
  }
  return { startedAt, id: match[2]! };
}

/** True when `run` passes every filter of `query`. */
export function matchesHistoryQuery(run: RunRecord, query: CheckedHistoryQuery): boolean {
  return (
    (query.plugin === undefined || run.plugin === query.plugin) &&
    (query.scheduleId === undefined || run.scheduleId === query.scheduleId) &&
    (query.outcome === undefined || run.outcome === query.outcome) &&
    (query.nodeId === undefined || run.nodeId === query.nodeId)
  );
}

/** Validates retention options and fills in the defaults. */
export function checkRetention(options: unknown, where: string): Required<RunHistoryOptions> {
  if (options === undefined) return { ...RUN_HISTORY_DEFAULTS };
  assertObject(options, 'options', where);
  const maxRuns = options.maxRuns ?? RUN_HISTORY_DEFAULTS.maxRuns;
  const maxAgeMs = options.maxAgeMs ?? RUN_HISTORY_DEFAULTS.maxAgeMs;
  assertInteger(maxRuns, 'options.maxRuns', where, 1);
  assertInteger(maxAgeMs, 'options.maxAgeMs', where, 1);
  return { maxRuns, maxAgeMs };
}
