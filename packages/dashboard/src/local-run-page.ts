import type { DashboardRun, RunPage, RunQuery } from './dashboard-types.js';

/**
 * One page of this node's in-memory runs (newest first) for the same query
 * a cluster `RunHistory` answers. The cursor is `<startedAt>.<k>`: runs that
 * started before `startedAt`, plus those that started at that very ms after
 * the first `k` of them — so runs sharing a millisecond are neither lost nor
 * repeated across pages.
 */
export function localRunPage(all: readonly DashboardRun[], query: RunQuery): RunPage {
  const matching = all.filter(
    (r) =>
      (query.plugin === undefined || r.plugin === query.plugin) &&
      (query.scheduleId === undefined || r.scheduleId === query.scheduleId) &&
      (query.outcome === undefined || r.outcome === query.outcome) &&
      (query.nodeId === undefined || r.nodeId === query.nodeId),
  );
  let start = 0;
  const cursor = /^(\d+)\.(\d+)$/.exec(query.before ?? '');
  if (cursor !== null) {
    const [before, skip] = [Number(cursor[1]), Number(cursor[2])];
    let seenAtBefore = 0;
    start = matching.findIndex((r) => r.startedAt < before || (r.startedAt === before && ++seenAtBefore > skip));
    if (start === -1) start = matching.length;
  }
  const runs = matching.slice(start, start + query.limit);
  const last = runs.at(-1);
  if (last === undefined || start + runs.length >= matching.length) return { runs, next: null };
  const sameMs = matching.slice(0, start + runs.length).filter((r) => r.startedAt === last.startedAt).length;
  return { runs, next: `${last.startedAt}.${sameMs}` };
}
