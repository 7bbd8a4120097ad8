import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { T0 } from './support.js';

/** Every occurrence ran at most once, and every one that all nodes saw ran. */
function expectEachOnce(cluster: Cluster, seenByAll: string[]): void {
  const counts = cluster.countsByOccurrence();
  const twice = [...counts].filter(([, n]) => n !== 1);
  expect(twice).toEqual([]);
  expect(seenByAll.filter((key) => !counts.has(key))).toEqual([]);
  expect(seenByAll.length).toBeGreaterThan(5);
}

function occurrences(id: string, periodMs: number, fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  for (let at = Math.floor(fromMs / periodMs) * periodMs + periodMs; at <= toMs; at += periodMs) {
    out.push(`${id}@${new Date(at).toISOString()}`);
  }
  return out;
}

describe('exactly once across a cluster', () => {
  it('runs each require_global occurrence once on nodes whose clocks differ by up to the tolerance', async () => {
    const cluster = new Cluster([
      { id: 'minute', cron: '1m' },
      { id: 'fast', cron: '10s' },
      { id: 'cron', cron: '*/2 * * * *' },
    ]);
    await cluster.addNode('ahead', 5_000);
    await cluster.addNode('exact', 0);
    await cluster.addNode('behind', -5_000);
    await cluster.advance(20 * 60_000);
    const end = T0 + 20 * 60_000 - 5_000;
    expectEachOnce(cluster, [
      ...occurrences('minute', 60_000, T0, end),
      ...occurrences('fast', 10_000, T0, end),
      ...occurrences('cron', 120_000, T0, end),
    ]);
    // The node whose clock runs ahead looks first, so once it is up it wins every firing; the others find it held.
    expect(cluster.runs.filter((r) => r.node !== 'ahead' && r.scheduledAt > T0 + 5_000)).toEqual([]);
  });

  it('runs every occurrence of a per-minute and a per-10-second schedule exactly once on 5 nodes over an hour', async () => {
    const cluster = new Cluster([
      { id: 'minute', cron: '1m' },
      { id: 'ten', cron: '10s' },
    ]);
    const skews = [0, 500, -1_000, 2_000, -2_000];
    for (const [i, skew] of skews.entries()) await cluster.addNode(`n${i}`, skew);
    await cluster.advance(60 * 60_000);
    // The node 2 s behind starts at T0 - 2 s, so it also owes T0 itself; the node 2 s ahead sees up to T0 + 60 min + 2 s.
    const expected = [...occurrences('minute', 60_000, T0 - 1, T0 + 60 * 60_000 + 2_000), ...occurrences('ten', 10_000, T0 - 1, T0 + 60 * 60_000 + 2_000)];
    expect([...cluster.countsByOccurrence().keys()].sort()).toEqual(expected.sort());
    expect([...cluster.countsByOccurrence().values()].every((n) => n === 1)).toBe(true);
    expect(cluster.runs).toHaveLength(2 + 60 + 360);
  });

  it('still runs each occurrence once when runs finish instantly and jitter moves every firing', async () => {
    const cluster = new Cluster([{ id: 'j', cron: '30s', jitterMs: 8_000 }]);
    await cluster.addNode('a', 2_500);
    await cluster.addNode('b', -5_000);
    await cluster.addNode('c', 5_000);
    await cluster.addNode('d', -1_000);
    await cluster.advance(15 * 60_000);
    expectEachOnce(cluster, occurrences('j', 30_000, T0, T0 + 15 * 60_000 - 5_000 - 8_000));
  });

  it('still runs each occurrence once when runs are slow and outlive the next firing', async () => {
    const cluster = new Cluster([{ id: 'slow', cron: '20s' }], (_ctx, node) =>
      new Promise<void>((resolve) => node.clock.setTimer(resolve, 45_000)),
    );
    await cluster.addNode('a', 4_000);
    await cluster.addNode('b', -4_000);
    await cluster.advance(10 * 60_000);
    const counts = cluster.countsByOccurrence();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBeGreaterThan(5);
  });

  it('lets a surviving node take over firings when the node that won them stops', async () => {
    const cluster = new Cluster([{ id: 'minute', cron: '1m' }]);
    const ahead = await cluster.addNode('ahead', 3_000);
    await cluster.addNode('behind', -3_000);
    await cluster.advance(5 * 60_000);
    await cluster.removeNode(ahead);
    await cluster.advance(5 * 60_000);
    expectEachOnce(cluster, occurrences('minute', 60_000, T0, T0 + 10 * 60_000 - 3_000));
    expect(cluster.runs.filter((r) => r.node === 'behind').length).toBeGreaterThanOrEqual(4);
  });
});
