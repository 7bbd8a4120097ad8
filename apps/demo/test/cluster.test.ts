import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startDemo, type DemoProcess } from './demo-process.js';
import { itemCounts, processedItems } from './processed-items.js';

interface Run {
  plugin: string;
  scheduleId: string;
  scheduledAt: number;
  nodeId: string;
  outcome: string;
  startedAt: number;
}

const BEAT_MS = 5_000;
const started: DemoProcess[] = [];
afterAll(() => {
  for (const demo of started) demo.child.kill('SIGKILL');
});

/**
 * The demo's settings with a key prefix and poller job ids of its own (cursors
 * are shared by job id) and a short lock TTL, so a killed node's locks expire quickly.
 */
function clusterSettings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-cluster-'));
  const run = randomUUID().slice(0, 8);
  const settings = readFileSync(resolve(__dirname, '../belfry.config.toml'), 'utf8')
    .replace(/plugins_dir = ".*"/, `plugins_dir = ${JSON.stringify(resolve(__dirname, '../plugins'))}`)
    .replace(/key_prefix = ".*"/, `key_prefix = "cluster-${randomUUID()}:"`)
    .replace(/lock_ttl_ms = \d+/, 'lock_ttl_ms = 3000')
    .replace(/^id = "(demo_\w+)"$/gm, `id = "$1-${run}"`);
  writeFileSync(join(dir, 'belfry.config.toml'), settings);
  return join(dir, 'belfry.config.toml');
}

async function runsOf(nodes: { url: string }[]): Promise<Run[]> {
  const all = await Promise.all(nodes.map(async (n) => (await (await fetch(`${n.url}api/runs?limit=500`)).json()) as Run[]));
  return all.flat();
}

/** A node holding the lock of a feed poller tick: a tick is in flight there. */
async function midTick<T extends { url: string }>(nodes: T[]): Promise<T | undefined> {
  for (const node of nodes) {
    const status = (await (await fetch(`${node.url}api/status`)).json()) as { locks: { plugin: string }[] };
    if (status.locks.some((l) => l.plugin === FEED_POLLER)) return node;
  }
  return undefined;
}

const FEED_POLLER = 'poller:feed_poller';
const beats = (runs: Run[]) => runs.filter((r) => r.plugin === 'heartbeat' && r.scheduleId === 'beat' && r.outcome === 'success');

/** Occurrence time → how many nodes ran it. */
function countByOccurrence(runs: Run[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const run of beats(runs)) counts.set(run.scheduledAt, (counts.get(run.scheduledAt) ?? 0) + 1);
  return counts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['redis', { BELFRY_LOCKING: 'redis', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }],
  ['pg', { BELFRY_LOCKING: 'pg', DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' }],
])('three demo processes sharing %s', (backend, env) => {
  it(
    'run each global heartbeat and each feed item once across the cluster, node-local schedules on every node, and survive SIGTERM and SIGKILL mid-tick',
    async () => {
      const config = clusterSettings();
      const nodes = await Promise.all(
        ['a', 'b', 'c'].map(async (name) => {
          const demo = startDemo({ ...env, BELFRY_CONFIG: config, BELFRY_NODE_ID: `${backend}-${name}` });
          started.push(demo);
          return { name: `${backend}-${name}`, demo, url: await demo.url };
        }),
      );
      // Runs of every node, kept as nodes die: (node, occurrence) → run.
      const history = new Map<string, Run>();
      const collect = async (from: typeof nodes): Promise<Run[]> => {
        for (const run of await runsOf(from)) history.set(`${run.nodeId}|${run.plugin}|${run.scheduleId}|${run.scheduledAt}|${run.outcome}`, run);
        return [...history.values()];
      };
      const windowStart = Date.now();
      await sleep(30_000);
      const windowEnd = Date.now();

      // Every heartbeat occurrence inside the window ran on exactly one node.
      const counts = countByOccurrence(await collect(nodes));
      const first = Math.ceil((windowStart + BEAT_MS) / BEAT_MS) * BEAT_MS;
      const expected: number[] = [];
      for (let at = first; at <= windowEnd - BEAT_MS; at += BEAT_MS) expected.push(at);
      expect(expected.length).toBeGreaterThanOrEqual(4);
      for (const at of expected) expect({ at, runs: counts.get(at) ?? 0 }).toEqual({ at, runs: 1 });
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const byNode = Object.fromEntries(nodes.map((n) => [n.name, beats([...history.values()]).filter((r) => r.nodeId === n.name).length]));
      console.log(`${backend}: ${expected.length} heartbeat occurrences in the 30 s window, each run once; runs by node ${JSON.stringify(byNode)}`);

      // Node-local sampling ran on every node.
      const runs = await collect(nodes);
      for (const node of nodes) {
        expect(runs.some((r) => r.plugin === 'node_stats' && r.nodeId === node.name && r.outcome === 'success')).toBe(true);
      }

      // SIGTERM the node running a heartbeat: it finishes and exits 0; the next occurrence runs elsewhere, on time.
      const runner = await eventually(
        async () => {
          for (const node of nodes) {
            const status = (await (await fetch(`${node.url}api/status`)).json()) as { locks: { plugin: string }[] };
            if (status.locks.some((l) => l.plugin === 'heartbeat')) return node;
          }
          return undefined;
        },
        10_000,
        'a node holding the heartbeat lock',
      );
      await collect(nodes);
      const terminatedAt = Date.now();
      runner.demo.child.kill('SIGTERM');
      expect(await runner.demo.exited).toBe(0);
      const survivors = nodes.filter((n) => n !== runner);
      const nextBeat = Math.ceil((terminatedAt + 1) / BEAT_MS) * BEAT_MS;
      const next = await eventually(
        async () => beats(await runsOf(survivors)).find((r) => r.scheduledAt === nextBeat),
        BEAT_MS * 3,
        `the occurrence at ${new Date(nextBeat).toISOString()} on a surviving node`,
      );
      expect(next.startedAt - next.scheduledAt).toBeLessThan(2_000);

      // SIGKILL one more in the middle of a feed tick: the last node carries on alone, each occurrence still once.
      const killed = await eventually(() => midTick(survivors), 30_000, 'a surviving node in the middle of a feed tick');
      const last = survivors.find((n) => n !== killed)!;
      await collect(survivors);
      const killedAt = Date.now();
      killed.demo.child.kill('SIGKILL');
      await eventually(
        async () => {
          const after = beats(await runsOf([last])).filter((r) => r.scheduledAt > killedAt + 3_000);
          return after.length >= 2 ? after : undefined;
        },
        20_000,
        'two heartbeats on the last node after the kill',
      );
      const finalCounts = countByOccurrence(await collect([last]));
      expect([...finalCounts.values()].every((n) => n === 1)).toBe(true);

      // Each feed item was processed once across the three nodes, none skipped, the killed tick's items redone once elsewhere.
      await eventually(
        async () => (processedItems(last.demo.stateDir).filter((i) => i.scheduledAt > killedAt + 3_000).length >= 3 ? true : undefined),
        20_000,
        'feed items processed on the last node after the kill',
      );
      const items = nodes.flatMap((n) => processedItems(n.demo.stateDir));
      const feedCounts = itemCounts(items);
      expect(Object.keys(feedCounts)).toHaveLength(2);
      for (const [job, count] of Object.entries(feedCounts)) {
        expect({ job, duplicates: count.duplicates, gaps: count.gaps }).toEqual({ job, duplicates: 0, gaps: 0 });
        expect(count.items).toBeGreaterThanOrEqual(10);
      }
      const feedRuns = await collect([last]);
      const ticks = Object.fromEntries(
        nodes.map((n) => [n.name, feedRuns.filter((r) => r.plugin === FEED_POLLER && r.outcome === 'success' && r.nodeId === n.name).length]),
      );
      const itemsByNode = Object.fromEntries(nodes.map((n) => [n.name, items.filter((i) => i.nodeId === n.name).length]));
      console.log(`${backend}: feed items ${JSON.stringify(feedCounts)}; items by node ${JSON.stringify(itemsByNode)}; poller ticks by node ${JSON.stringify(ticks)}; killed mid-tick: ${killed.name}`);
    },
    180_000,
  );
});
