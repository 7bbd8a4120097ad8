import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BelfryHost } from '@belfry/host';

/** The demo's poller plugin, as the scheduler names its jobs' schedules. */
const FEED_POLLER = 'poller:feed_poller';

/**
 * Appends one JSON line per feed item the `feed_poller` jobs processed to
 * `<state dir>/feed-items.log`, written once a tick succeeded and its cursor
 * was saved, so an item counts as processed only when no later tick will
 * see it again. The items of a tick are the numbers from its `first_item`
 * to its `last_item` metric.
 */
export function logProcessedItems(host: BelfryHost): string {
  const file = join(host.config.stateDir, 'feed-items.log');
  mkdirSync(host.config.stateDir, { recursive: true });
  host.scheduler.on('run:success', (e) => {
    if (e.plugin !== FEED_POLLER) return;
    // The host records the run (with its tick metrics) before later listeners hear of it.
    const run = host.runs.recent(20).find((r) => r.plugin === e.plugin && r.scheduleId === e.scheduleId && r.scheduledAt === e.scheduledAt);
    const { items = 0, first_item: first, last_item: last } = run?.metrics ?? {};
    if (items === 0 || first === undefined || last === undefined) return;
    const lines: string[] = [];
    for (let item = first; item <= last; item += 1) {
      lines.push(JSON.stringify({ job: e.scheduleId, item, nodeId: e.nodeId, scheduledAt: e.scheduledAt, fence: run?.fence ?? null }));
    }
    appendFileSync(file, `${lines.join('\n')}\n`);
  });
  return file;
}
