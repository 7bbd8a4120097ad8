import type { RunHistory, RunHistoryQuery, RunRecord } from '@belfry/plugin-api';
import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import { mustRejectInvalid, show } from '../../cursor-store/cursor-steps.js';
import { idsOf, runRecord, sameData } from '../cluster-steps.js';
import { HISTORY_MAX_AGE_SHORTS, HISTORY_MAX_RUNS, type RunHistoryContext } from '../run-history-context.js';

/** Every run matching `query`, page by page of `pageSize`, failing on a page that breaks the paging contract. */
async function readAll(history: RunHistory, query: Omit<RunHistoryQuery, 'limit' | 'before'>, pageSize: number): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  let before: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await history.query({ ...query, limit: pageSize, ...(before === undefined ? {} : { before }) });
    check(result.runs.length <= pageSize, `a page of limit ${pageSize} returned ${result.runs.length} runs`);
    runs.push(...result.runs);
    if (result.next === null) return runs;
    check(typeof result.next === 'string', `next is ${show(result.next)}, neither a string nor null`);
    check(result.runs.length > 0, 'a page with no runs gave a non-null next');
    before = result.next;
  }
  throw new Error('paging never ended: next was never null');
}

/** `count` runs 10 ms apart ending at `newest`, ids `<prefix>-00` (oldest) upward. */
function series(prefix: string, count: number, newest: number, fields: Partial<RunRecord> = {}): RunRecord[] {
  return Array.from({ length: count }, (_, index) => runRecord(`${prefix}-${String(index).padStart(2, '0')}`, newest - (count - 1 - index) * 10, fields));
}

const newestFirst = (runs: readonly RunRecord[]): string[] => idsOf([...runs].reverse());

/** Appending, reading back, paging, filtering, retention and sharing of a run history. */
export const historyRules: Rule<RunHistoryContext>[] = [
  {
    id: 'HISTORY-001',
    sentence: 'an empty history answers a query with no runs and a null next',
    async run({ store }) {
      const page = await store.query({ limit: 10 });
      check(sameData(page, { runs: [], next: null }), `an empty history returned ${show(page)}`);
    },
  },
  {
    id: 'HISTORY-002',
    sentence: 'appended runs come back exactly as appended, every field kept and absent optional fields still absent, newest first',
    async run({ store, now }) {
      const at = await now();
      const runs: RunRecord[] = [
        runRecord('r-plain', at - 3),
        runRecord('r-full', at - 2, {
          outcome: 'error',
          error: 'upstream said "no" ünï😀\nline 2',
          fence: 2 ** 53 - 1,
          isCatchup: true,
          manual: true,
          metrics: { items: 42, 'lag.ms': -1.5, zero: 0 },
          locking: 'prefer_global',
          scheduledAt: at - 60_000,
          durationMs: 1234,
        }),
        runRecord('r-skip', at - 1, { outcome: 'skipped', skipReason: 'lock_contended', durationMs: 0, locking: 'node_local' }),
      ];
      await store.append(runs);
      const page = await store.query({ limit: 10 });
      check(sameData(page.runs, [...runs].reverse()), `the history returned ${show(page.runs)} instead of the appended runs newest first`);
      check(page.next === null, `next is ${show(page.next)} though every run fits in the page`);
    },
  },
  {
    id: 'HISTORY-003',
    sentence: 'appending a run whose id is already stored changes nothing, so a retried append never duplicates a run',
    async run({ store, now }) {
      const at = await now();
      const first = runRecord('r-1', at - 10);
      await store.append([first, runRecord('r-2', at - 5)]);
      await store.append([{ ...first, outcome: 'error', error: 'a retry that differs' }, runRecord('r-2', at - 5)]);
      await store.append([runRecord('r-3', at), runRecord('r-3', at)]);
      const page = await store.query({ limit: 10 });
      check(sameData(idsOf(page.runs), ['r-3', 'r-2', 'r-1']), `after repeated appends the history holds ${show(idsOf(page.runs))}`);
      check(sameData(page.runs[2], first), `a repeated id replaced the first record: ${show(page.runs[2])}`);
    },
  },
  {
    id: 'HISTORY-004',
    sentence: 'following next page by page returns every run once, newest first, with at most limit runs per page and a null next after the last',
    async run({ store, now }) {
      const runs = series('p', 10, await now());
      await store.append(runs);
      for (const size of [1, 3, 5, 10]) {
        const read = await readAll(store, {}, size);
        check(sameData(idsOf(read), newestFirst(runs)), `paging by ${size} returned ${show(idsOf(read))}`);
      }
      const exact = await store.query({ limit: 10 });
      check(exact.next === null, 'a page holding exactly the last matching runs still gave a non-null next');
    },
  },
  {
    id: 'HISTORY-005',
    sentence: 'runs started in the same millisecond are ordered by id, descending, and paging through them skips and repeats none',
    async run({ store, now }) {
      const at = await now();
      const ids = ['t-a', 't-B', 't-b', 't-c', 't-0', 't-~', 't-_'];
      await store.append(ids.map((id) => runRecord(id, at)));
      const expected = [...ids].sort().reverse();
      for (const size of [1, 2, 3]) {
        const read = await readAll(store, {}, size);
        check(sameData(idsOf(read), expected), `paging by ${size} over runs of one millisecond returned ${show(idsOf(read))}, expected ${show(expected)}`);
      }
    },
  },
  {
    id: 'HISTORY-006',
    sentence: 'paging stays without gaps or repeats while newer runs are appended between pages',
    async run({ store, now }) {
      const at = await now();
      const runs = series('old', 8, at - 500);
      await store.append(runs);
      const seen: RunRecord[] = [];
      let before: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await store.query({ limit: 3, ...(before === undefined ? {} : { before }) });
        seen.push(...result.runs);
        await store.append([runRecord(`new-${page}`, at + page)]);
        if (result.next === null) break;
        before = result.next;
      }
      check(sameData(idsOf(seen), newestFirst(runs)), `paging while appending returned ${show(idsOf(seen))}`);
    },
  },
  {
    id: 'HISTORY-007',
    sentence: 'the plugin, scheduleId, outcome and nodeId filters each, and together, return exactly the matching runs, paged',
    async run({ store, now }) {
      const at = await now();
      const runs: RunRecord[] = [];
      let index = 0;
      for (const plugin of ['billing', 'mail']) {
        for (const scheduleId of ['nightly', 'hourly']) {
          for (const nodeId of ['node-a', 'node-b']) {
            for (const outcome of ['success', 'error', 'skipped'] as const) {
              const fields: Partial<RunRecord> = { plugin, scheduleId, nodeId, outcome };
              if (outcome === 'skipped') Object.assign(fields, { skipReason: 'overlap', durationMs: 0 });
              if (outcome === 'error') fields.error = 'boom';
              runs.push(runRecord(`f-${String(index).padStart(2, '0')}`, at - 1000 + index * 10, fields));
              index += 1;
            }
          }
        }
      }
      // Retention keeps HISTORY_MAX_RUNS runs in all; the filters are checked on the ones kept.
      const kept = runs.slice(-HISTORY_MAX_RUNS);
      await store.append(runs);
      const filters = [
        { plugin: 'mail' },
        { scheduleId: 'hourly' },
        { outcome: 'error' },
        { nodeId: 'node-b' },
        { plugin: 'mail', scheduleId: 'nightly', nodeId: 'node-a', outcome: 'skipped' },
        { plugin: 'nobody' },
      ] as const;
      for (const filter of filters) {
        const expected = kept.filter((run) => Object.entries(filter).every(([key, value]) => run[key as keyof RunRecord] === value));
        const read = await readAll(store, filter, 2);
        check(sameData(idsOf(read), newestFirst(expected)), `filter ${show(filter)} returned ${show(idsOf(read))}, expected ${show(newestFirst(expected))}`);
      }
    },
  },
  {
    id: 'HISTORY-008',
    sentence: 'retention by count: beyond maxRuns in total, the oldest runs are dropped and the newest maxRuns kept',
    async run({ store, now }) {
      const at = await now();
      const first = series('c1', HISTORY_MAX_RUNS - 5, at - 300);
      const second = series('c2', 10, at);
      await store.append(first);
      await store.append(second);
      const expected = newestFirst([...first, ...second]).slice(0, HISTORY_MAX_RUNS);
      const read = await readAll(store, {}, 7);
      check(sameData(idsOf(read), expected), `with maxRuns ${HISTORY_MAX_RUNS} the history kept ${show(idsOf(read))}`);
      const late = runRecord('c0-late', at - 900);
      await store.append([late]);
      const after = await readAll(store, {}, 50);
      check(!idsOf(after).includes(late.id) && after.length === HISTORY_MAX_RUNS, `an append older than every kept run left ${after.length} runs: ${show(idsOf(after))}`);
    },
  },
  {
    id: 'HISTORY-009',
    sentence: 'retention by age: a run older than maxAgeMs by the store clock is never returned, and a kept run disappears once it ages past maxAgeMs',
    async run({ store, now, elapse, shortMs, eventually }) {
      const maxAgeMs = HISTORY_MAX_AGE_SHORTS * shortMs;
      const at = await now();
      await store.append([runRecord('a-expired', at - maxAgeMs - shortMs), runRecord('a-ageing', at - maxAgeMs + 10 * shortMs), runRecord('a-young', at)]);
      const first = await store.query({ limit: 10 });
      check(sameData(idsOf(first.runs), ['a-young', 'a-ageing']), `right after the append the history returned ${show(idsOf(first.runs))}, expected ["a-young","a-ageing"]`);
      await elapse(11 * shortMs);
      await eventually(async () => {
        const later = await store.query({ limit: 10 });
        return sameData(idsOf(later.runs), ['a-young']);
      }, `a run older than maxAgeMs (${maxAgeMs} ms) was still returned after it aged past it`);
      const filtered = await store.query({ plugin: 'billing', limit: 10 });
      check(sameData(idsOf(filtered.runs), ['a-young']), `a filtered query returned ${show(idsOf(filtered.runs))}`);
    },
  },
  {
    id: 'HISTORY-010',
    sentence: 'runs appended through one instance are returned through another instance on the same backend, paging across both',
    async run({ store, peer, now }) {
      const other = await peer();
      const at = await now();
      await store.append([runRecord('x-1', at - 3, { nodeId: 'node-a' }), runRecord('x-3', at - 1, { nodeId: 'node-a' })]);
      await other.append([runRecord('x-2', at - 2, { nodeId: 'node-b' })]);
      for (const history of [store, other]) {
        const read = await readAll(history, {}, 2);
        check(sameData(idsOf(read), ['x-3', 'x-2', 'x-1']), `an instance returned ${show(idsOf(read))} instead of the runs of both nodes`);
      }
      const first = await store.query({ limit: 1 });
      const rest = await other.query({ limit: 5, before: first.next! });
      check(sameData(idsOf(rest.runs), ['x-2', 'x-1']), `a next from one instance, followed on another, returned ${show(idsOf(rest.runs))}`);
    },
  },
  {
    id: 'HISTORY-011',
    sentence: 'concurrent appends through two instances all land: none is lost',
    async run({ store, peer, now }) {
      const other = await peer();
      const at = await now();
      const batches = Array.from({ length: 8 }, (_, batch) => [runRecord(`k-${batch}-a`, at - batch * 10), runRecord(`k-${batch}-b`, at - batch * 10 - 5)]);
      await Promise.all(batches.map((runs, index) => (index % 2 === 0 ? store : other).append(runs)));
      const read = await readAll(store, {}, 20);
      check(read.length === 16, `after 16 concurrent appends the history holds ${read.length} runs: ${show(idsOf(read))}`);
    },
  },
  {
    id: 'HISTORY-012',
    sentence: 'the history keeps copies: changing an appended or returned record afterwards changes nothing stored',
    async run({ store, now }) {
      const at = await now();
      const run = runRecord('m-1', at, { metrics: { items: 1 } });
      await store.append([run]);
      run.metrics!.items = 99;
      run.plugin = 'mutated';
      const page = await store.query({ limit: 1 });
      page.runs[0]!.metrics!.items = 77;
      const again = await store.query({ limit: 1 });
      check(sameData(again.runs, [runRecord('m-1', at, { metrics: { items: 1 } })]), `a change to an appended or returned record reached the store: ${show(again.runs)}`);
    },
  },
  {
    id: 'HISTORY-013',
    sentence:
      'bad arguments (a malformed record, an unknown outcome or skip reason, a non-finite metric, a bad limit, filter or cursor) reject with invalid_argument naming the value, and a batch with one bad record stores none of it',
    async run({ store, now }) {
      const at = await now();
      const good = runRecord('v-good', at);
      const bad: [unknown, string][] = [
        [{ ...good, id: 'has space' }, '"has space"'],
        [{ ...good, id: '' }, '""'],
        [{ ...good, plugin: '' }, 'plugin'],
        [{ ...good, outcome: 'exploded' }, '"exploded"'],
        [{ ...good, outcome: 'skipped' }, 'skipReason'],
        [{ ...good, outcome: 'skipped', skipReason: 'bored' }, '"bored"'],
        [{ ...good, startedAt: 1.5 }, '1.5'],
        [{ ...good, durationMs: -1 }, '-1'],
        [{ ...good, fence: Number.NaN }, 'NaN'],
        [{ ...good, metrics: { lag: Number.POSITIVE_INFINITY } }, 'Infinity'],
        [{ ...good, isCatchup: 'yes' }, '"yes"'],
        [{ ...good, surprise: 1 }, 'surprise'],
        [null, 'null'],
      ];
      for (const [record, shown] of bad) {
        await mustRejectInvalid(() => store.append([runRecord('v-first', at), record as RunRecord]), shown, `append of ${show(record)}`);
      }
      await mustRejectInvalid(() => store.append('runs' as never), '"runs"', 'append("runs")');
      check((await store.query({ limit: 10 })).runs.length === 0, 'a rejected append stored some of its runs');
      const queries: [unknown, string][] = [
        [{ limit: 0 }, '0'],
        [{ limit: 1001 }, '1001'],
        [{ limit: 2.5 }, '2.5'],
        [{}, 'limit'],
        [{ limit: 5, outcome: 'meh' }, '"meh"'],
        [{ limit: 5, plugin: 7 }, '7'],
        [{ limit: 5, before: 'not-a-cursor' }, '"not-a-cursor"'],
        [{ limit: 5, pluginName: 'x' }, 'pluginName'],
        [undefined, 'undefined'],
      ];
      for (const [query, shown] of queries) {
        await mustRejectInvalid(() => store.query(query as RunHistoryQuery), shown, `query(${show(query)})`);
      }
    },
  },
];
