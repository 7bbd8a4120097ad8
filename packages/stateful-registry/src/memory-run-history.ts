import { systemClock, type Clock, type RunHistory, type RunHistoryOptions, type RunHistoryPage, type RunHistoryQuery, type RunRecord } from '@belfry/plugin-api';
import { assertRunRecords, assertStoreOptions, checkHistoryQuery, checkRetention, compareRunsNewestFirst, encodeHistoryCursor, matchesHistoryQuery } from '@belfry/internal';

/** Options of {@link MemoryRunHistory}: retention, and the clock that ages runs. */
export interface MemoryRunHistoryOptions extends RunHistoryOptions {
  /** Where "now" comes from when runs age out. Default `systemClock`. */
  clock?: Clock;
}

/** What peers share: the runs, newest first, and their ids. */
interface HistoryState {
  runs: RunRecord[];
  ids: Set<string>;
}

/**
 * Keeps the run history in this process's memory: the embedded default for
 * a single node. Retention is enforced on every append and query; records
 * are copied on the way in and out. `peer()` gives another handle on the
 * same runs, as a second node in this process would have.
 */
export class MemoryRunHistory implements RunHistory {
  readonly maxRuns: number;
  readonly maxAgeMs: number;
  readonly #clock: Clock;
  #state: HistoryState = { runs: [], ids: new Set() };

  constructor(options: MemoryRunHistoryOptions = {}) {
    assertStoreOptions(options, ['maxRuns', 'maxAgeMs', 'clock'], 'MemoryRunHistory');
    const { maxRuns, maxAgeMs } = checkRetention(options, 'MemoryRunHistory');
    this.maxRuns = maxRuns;
    this.maxAgeMs = maxAgeMs;
    this.#clock = options.clock ?? systemClock;
  }

  /** Another handle on the same runs, with the same retention and clock. */
  peer(): MemoryRunHistory {
    const other = new MemoryRunHistory({ maxRuns: this.maxRuns, maxAgeMs: this.maxAgeMs, clock: this.#clock });
    other.#state = this.#state;
    return other;
  }

  async append(runs: readonly RunRecord[]): Promise<void> {
    assertRunRecords(runs, 'MemoryRunHistory.append');
    const { runs: stored, ids } = this.#state;
    for (const run of runs) {
      if (ids.has(run.id)) continue;
      ids.add(run.id);
      stored.splice(insertionIndex(stored, run), 0, structuredClone(run));
    }
    this.#prune();
  }

  async query(query: RunHistoryQuery): Promise<RunHistoryPage> {
    const checked = checkHistoryQuery(query, 'MemoryRunHistory.query');
    this.#prune();
    const { runs: stored } = this.#state;
    const start = checked.before === null ? 0 : insertionIndex(stored, checked.before, true);
    const page: RunRecord[] = [];
    for (let index = start; index < stored.length; index++) {
      const run = stored[index]!;
      if (!matchesHistoryQuery(run, checked)) continue;
      // One match beyond the page means there is a next page.
      if (page.length === checked.limit) return { runs: page.map((kept) => structuredClone(kept)), next: encodeHistoryCursor(page.at(-1)!) };
      page.push(run);
    }
    return { runs: page.map((kept) => structuredClone(kept)), next: null };
  }

  /** Drops runs beyond maxRuns and runs older than maxAgeMs; both are the oldest, at the end. */
  #prune(): void {
    const { runs, ids } = this.#state;
    const oldestKept = this.#clock.now() - this.maxAgeMs;
    while (runs.length > 0 && (runs.length > this.maxRuns || runs.at(-1)!.startedAt < oldestKept)) ids.delete(runs.pop()!.id);
  }
}

/** Where `position` goes in newest-first `runs`; with `after`, the first index strictly after it. */
function insertionIndex(runs: readonly RunRecord[], position: { startedAt: number; id: string }, after = false): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareRunsNewestFirst(runs[middle]!, position);
    if (order < 0 || (after && order === 0)) low = middle + 1;
    else high = middle;
  }
  return low;
}
