import type { DashboardRun, RunQuery } from './dashboard-types.js';

const OUTCOMES: readonly string[] = ['success', 'error', 'skipped'];
const DEFAULT_LIMIT = 50;
/** `RUN_HISTORY_MAX_LIMIT` of `@belfry/plugin-api`. */
const MAX_LIMIT = 1000;

/** A query string the run routes cannot answer; the message says which parameter and why. */
export class RunQueryError extends Error {}

/** The run filter from `?plugin=&scheduleId=&outcome=&nodeId=&before=&limit=`; `before` is handed on as the opaque string it came as. */
export function parseRunQuery(params: Record<string, string | undefined>): RunQuery {
  const query: RunQuery = { limit: DEFAULT_LIMIT };
  for (const key of ['plugin', 'scheduleId', 'nodeId'] as const) {
    const value = params[key];
    if (value === undefined || value === '') continue;
    if (value.length > 256) throw new RunQueryError(`${key} must be at most 256 characters, got ${value.length}`);
    query[key] = value;
  }
  const outcome = params.outcome;
  if (outcome !== undefined && outcome !== '') {
    if (!OUTCOMES.includes(outcome)) throw new RunQueryError(`outcome must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(outcome.slice(0, 40))}`);
    query.outcome = outcome as DashboardRun['outcome'];
  }
  const before = params.before;
  if (before !== undefined && before !== '') {
    if (before.length > 512) throw new RunQueryError(`before must be the "next" of a previous page, got ${before.length} characters`);
    query.before = before;
  }
  const limit = params.limit;
  if (limit !== undefined && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new RunQueryError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(limit.slice(0, 20))}`);
    query.limit = n;
  }
  return query;
}
