import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startDemo, type DemoProcess } from './demo-process.js';
import { itemCounts, processedItems } from './processed-items.js';

/** Longest the demo may take to process a few feed items on a busy machine before the test calls it hung. */
const FEED_HANG_GUARD_MS = 40_000;

interface PollerJob {
  id: string;
  kind: string;
  plugin: string;
  lastTick: { outcome: string } | null;
  lastCursor: { text: string; fence: number } | null;
  lastMetrics: Record<string, number> | null;
  ticks: { ok: number; failed: number; stale: number };
  process: { lifecycle: string; state: string; pid: number | null };
}

const running: DemoProcess[] = [];
afterEach(() => {
  for (const demo of running.splice(0)) demo.child.kill('SIGKILL');
});

const pollersOf = async (url: string) => ((await (await fetch(`${url}api/status`)).json()) as { pollers: { cursorStore: string; jobs: PollerJob[] } }).pollers;

describe('the demo feed poller', () => {
  it('polls the demo feeds out of process, each item once, and resumes from its cursors after a restart', async () => {
    const first = startDemo({ BELFRY_NODE_ID: 'feeds-1' });
    running.push(first);
    const url = await first.url;
    const ticked = await eventually(
      async () => {
        const pollers = await pollersOf(url);
        return pollers.jobs.every((job) => job.ticks.ok >= 2) ? pollers : undefined;
      },
      FEED_HANG_GUARD_MS,
      'two ticks of each feed job',
    );
    expect(ticked.cursorStore).toBe('file');
    const rss = ticked.jobs.find((job) => job.id === 'demo_rss')!;
    expect(rss).toMatchObject({ kind: 'rss', plugin: 'feed_poller', lastTick: { outcome: 'ok' }, process: { lifecycle: 'long_lived', state: 'running' } });
    expect(rss.lastCursor!.text).toMatch(/^\{"last":\d+\}$/);
    expect(rss.lastMetrics).toMatchObject({ feed_items: 10, items: expect.any(Number) });
    const runs = (await (await fetch(`${url}api/runs`)).json()) as { plugin: string; metrics?: Record<string, number> }[];
    expect(runs.find((r) => r.plugin === 'poller:feed_poller' && r.metrics !== undefined)?.metrics).toMatchObject({ feed_items: 10 });

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const before = processedItems(first.stateDir);

    // Same state folder: the file cursors carry on where the first process stopped.
    const second = startDemo({ BELFRY_NODE_ID: 'feeds-2', BELFRY_STATE_DIR: first.stateDir });
    running.push(second);
    await second.url;
    await eventually(
      async () => (processedItems(first.stateDir).filter((i) => i.nodeId === 'feeds-2' && i.job === 'demo_rss').length >= 2 ? true : undefined),
      FEED_HANG_GUARD_MS,
      'items processed after the restart',
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const all = processedItems(first.stateDir);
    const counts = itemCounts(all);
    expect(counts.demo_rss).toMatchObject({ duplicates: 0, gaps: 0 });
    expect(counts.demo_json).toMatchObject({ duplicates: 0, gaps: 0 });
    // The restart's first tick started right after the last item the first process committed.
    const lastBefore = Math.max(...before.filter((i) => i.job === 'demo_rss').map((i) => i.item));
    expect(Math.min(...all.filter((i) => i.nodeId === 'feeds-2' && i.job === 'demo_rss').map((i) => i.item))).toBe(lastBefore + 1);
  });
});
