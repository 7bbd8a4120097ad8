import type { RunHistory, RunHistoryOptions, RunHistoryPage, RunHistoryQuery, RunRecord } from '@belfry/plugin-api';
import { assertRunRecords, checkHistoryQuery, checkRetention, encodeHistoryCursor, storeBackendError, type HistoryPosition } from '@belfry/internal';
import { assertKnownOptions } from './assert-known-options.js';
import { openRedisConnection } from './open-redis-connection.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-store-options.js';
import { APPEND_RUNS_SCRIPT, QUERY_RUNS_SCRIPT } from './run-history-scripts.js';

/** Options of {@link RedisRunHistory}: those every Redis store takes, and retention. */
export interface RedisRunHistoryOptions extends RedisStoreOptions, RunHistoryOptions {}

/** The filters a query may give, each with a sorted set of its own. */
const FILTERS = ['plugin', 'scheduleId', 'outcome', 'nodeId'] as const;

/**
 * The cluster's run history in Redis, under `<keyPrefix>{history}:`: a hash
 * of records by id (`records`), a sorted set of every run (`order`) and one
 * sorted set per filter value (`by:plugin:<name>`, `by:scheduleId:<id>`,
 * `by:outcome:<outcome>`, `by:nodeId:<id>`). One hash tag puts every key in
 * one slot, so a Redis Cluster client works and each call is one atomic
 * script.
 *
 * Cost: an append is O(B · log N) for B runs among N kept (plus what
 * retention drops); a query is O(log N + S) where S is how many runs of the
 * smallest given filter's set it walks past (for a page of the newest runs,
 * `limit + 1`; for a combination of filters rarely true together, up to
 * that set's size, itself at most `maxRuns`).
 */
export class RedisRunHistory implements RunHistory {
  readonly maxRuns: number;
  readonly maxAgeMs: number;
  readonly #connection: RedisConnection;
  readonly #keys: [records: string, order: string];
  readonly #filterBase: string;

  constructor(options: RedisRunHistoryOptions) {
    assertKnownOptions(options, ['maxRuns', 'maxAgeMs'], 'RedisRunHistory');
    const { maxRuns, maxAgeMs } = checkRetention(pickRetention(options), 'RedisRunHistory');
    const { connection, keyPrefix } = openRedisConnection(options, 'RedisRunHistory');
    this.maxRuns = maxRuns;
    this.maxAgeMs = maxAgeMs;
    this.#connection = connection;
    const base = `${keyPrefix}{history}:`;
    this.#keys = [`${base}records`, `${base}order`];
    this.#filterBase = `${base}by:`;
  }

  async append(runs: readonly RunRecord[]): Promise<void> {
    assertRunRecords(runs, 'RedisRunHistory.append');
    if (runs.length === 0) return;
    const args = [this.#filterBase, String(this.maxRuns), String(this.maxAgeMs)];
    for (const run of runs) args.push(run.id, memberOf(run), JSON.stringify(run), run.plugin, run.scheduleId, run.outcome, run.nodeId);
    await this.#connection.script(`RedisRunHistory.append(${runs.length} run${runs.length === 1 ? '' : 's'})`, APPEND_RUNS_SCRIPT, this.#keys, args);
  }

  async query(query: RunHistoryQuery): Promise<RunHistoryPage> {
    const checked = checkHistoryQuery(query, 'RedisRunHistory.query');
    const where = 'RedisRunHistory.query';
    const filters = FILTERS.flatMap((name) => (checked[name] === undefined ? [] : [`${name}:${checked[name]}`]));
    const high = checked.before === null ? '+' : `(${memberOf(checked.before)}`;
    // One run beyond the page says whether an older match exists.
    const reply = await this.#connection.script(where, QUERY_RUNS_SCRIPT, this.#keys, [this.#filterBase, String(this.maxAgeMs), String(checked.limit + 1), high, ...filters]);
    const runs = parseRecords(reply, where);
    if (runs.length <= checked.limit) return { runs, next: null };
    const page = runs.slice(0, checked.limit);
    return { runs: page, next: encodeHistoryCursor(page.at(-1)!) };
  }

  /** Closes the connection made from `url`; a given `client` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}

function pickRetention(options: RedisRunHistoryOptions): RunHistoryOptions | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const retention: RunHistoryOptions = {};
  if (options.maxRuns !== undefined) retention.maxRuns = options.maxRuns;
  if (options.maxAgeMs !== undefined) retention.maxAgeMs = options.maxAgeMs;
  return retention;
}

/** The sorted-set member of a run: its place in the history, in bytes that sort as the history does (reversed). */
function memberOf(position: HistoryPosition): string {
  return `${String(position.startedAt).padStart(16, '0')}:${position.id}`;
}

function parseRecords(reply: unknown, where: string): RunRecord[] {
  if (!Array.isArray(reply)) throw storeBackendError(where, `Redis answered ${typeof reply} instead of a list of run records`);
  return reply.map((record: unknown) => {
    if (typeof record !== 'string') throw storeBackendError(where, 'a run listed in the history has no record; the keys under {history} were changed by something else than this store');
    try {
      return JSON.parse(record) as RunRecord;
    } catch {
      throw storeBackendError(where, 'a stored run record is not JSON; the keys under {history} were changed by something else than this store');
    }
  });
}
