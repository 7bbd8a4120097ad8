import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@belfry/scheduler-core';
import { BelfryHost, type RunRecord } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const SECOND = 1000;
/** Manual time moved per step; small beside the 10 s schedule, so runs finish before the next occurrence. */
const STEP_MS = 250;
/** Real-time polls per step while waiting for runs to finish (each a 5 ms yield to the servers' replies). */
const IDLE_POLLS = 200;
/** Hang guard: most manual steps any phase may take. */
const MAX_STEPS = 2_000;
/** Hang guard for one whole scenario: about a second alone, several on a busy machine. */
const SCENARIO_TIMEOUT_MS = 120_000;

/**
 * A stateful counter whose one schedule needs the global lock and catches
 * up every missed occurrence. Each node gets its own copy of the file, so
 * each has its own module state, as separate processes would.
 */
const counter = {
  toml: manifest('counter', ['scheduled', 'stateful'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\nmissed_run_policy = "run_all"\n'),
  entry: `let count = 0;
export default {
  run() { count += 1; },
  snapshot() { return { version: 1, bytes: new TextEncoder().encode(String(count)) }; },
  restoreSnapshot(s) { count = Number(new TextDecoder().decode(s.bytes)); },
  get count() { return count; },
};`,
};

interface Node {
  host: BelfryHost;
  dir: string;
  count(): Promise<number>;
}

const running: Node[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((node) => node.host.stop({ graceMs: 0 })));
});

/** A node on a fresh, empty folder: no state on its disk at all. */
async function startNode(settings: string, nodeId: string, clock: ManualClock): Promise<Node> {
  const { dir, file } = hostFolder({ counter }, `node_id = "${nodeId}"\n${settings}`);
  const warn = vi.fn();
  const host = await BelfryHost.start({ file, env: {}, clock, logger: { info: vi.fn(), warn, error: vi.fn(), debug: vi.fn() } });
  const node: Node = {
    host,
    dir,
    count: async () => ((await import(join(dir, 'plugins/counter/index.mjs'))) as { default: { count: number } }).default.count,
  };
  running.push(node);
  return node;
}

async function startCluster(settings: string, clock: ManualClock): Promise<Node[]> {
  const nodes: Node[] = [];
  for (const id of ['node-1', 'node-2', 'node-3']) nodes.push(await startNode(settings, id, clock));
  return nodes;
}

/** Stops every node and deletes its folder: the next start finds empty disks. */
async function stopAndWipe(nodes: Node[]): Promise<RunRecord[]> {
  await Promise.all(nodes.map((node) => node.host.stop({ graceMs: 5_000 })));
  for (const node of nodes) running.splice(running.indexOf(node), 1);
  const runs = nodes.flatMap((node) => node.host.runs.recent());
  for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
  return runs;
}

/** Lets the servers' replies arrive until no node has a run in progress (or the polls run out, when a run waits on manual time). */
async function settle(nodes: Node[]): Promise<void> {
  for (let poll = 0; poll < IDLE_POLLS; poll += 1) {
    if (nodes.every((node) => node.host.status().scheduler.schedules.every((schedule) => !schedule.running))) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Moves manual time to `until` in small steps, letting runs finish between them, then until `done` holds. */
async function drive(clock: ManualClock, nodes: Node[], until: number, done: () => boolean = () => true): Promise<void> {
  await settle(nodes);
  for (let step = 0; clock.now() < until || !done(); step += 1) {
    if (step >= MAX_STEPS) throw new Error(`hang guard: ${MAX_STEPS} steps of ${STEP_MS} ms did not reach the expected runs; runs so far: ${JSON.stringify(nodes.flatMap((n) => n.host.runs.recent()).map((r) => [r.nodeId, (r.scheduledAt - START) / SECOND, r.outcome, r.reason ?? r.error ?? ""]))}`);
    await clock.advance(STEP_MS);
    await settle(nodes);
  }
}

const at = (seconds: number): number => START + seconds * SECOND;
const successes = (runs: RunRecord[]): RunRecord[] => runs.filter((run) => run.outcome === 'success');
const occurrences = (from: number, to: number): number[] => Array.from({ length: (to - from) / 10 + 1 }, (_, i) => at(from + i * 10));

/**
 * Three nodes run a stateful plugin's require_global schedule; the whole
 * cluster stops, every node loses its disk, and the cluster comes back later.
 * The count must come out exactly right and every occurrence missed while the
 * cluster was down must run exactly once.
 */
async function wholeClusterRestarts(settings: string): Promise<{ perPhase: number[]; count: number; catchups: number }> {
  // Phase 1: occurrences at +10 s … +60 s, each on exactly one node. The node that ran +30 s leaves
  // with its disk, so the nodes that run +40 s … +60 s must carry on from the cluster's state.
  const clock1 = new ManualClock(START);
  const first = await startCluster(settings, clock1);
  await drive(clock1, first, at(30), () => successes(first.flatMap((n) => n.host.runs.recent())).length === 3);
  const leaving = first.find((n) => successes(n.host.runs.recent()).some((run) => run.scheduledAt === at(30)))!;
  const stayers = first.filter((n) => n !== leaving);
  const before = successes(stayers.flatMap((n) => n.host.runs.recent())).length;
  const leaver = successes(await stopAndWipe([leaving]));
  await drive(clock1, stayers, at(60), () => successes(stayers.flatMap((n) => n.host.runs.recent())).length === before + 3);
  const phase1 = [...leaver, ...successes(await stopAndWipe(stayers))];
  expect(phase1.filter((run) => run.scheduledAt > at(30)).every((run) => run.nodeId !== leaving.host.config.nodeId)).toBe(true);

  // Down from +60 s to +146 s: +70 … +140 are missed. Phase 2 runs them, spread over 10 s from +146 s
  // (1.25 s apart, none in the same instant as the on-time +150 s), then +150 … +170.
  const clock2 = new ManualClock(at(146));
  const second = await startCluster(settings, clock2);
  await drive(clock2, second, at(170), () => successes(second.flatMap((n) => n.host.runs.recent())).length === 11);
  const phase2 = successes(await stopAndWipe(second));

  // Phase 3: one more fresh node after nothing was missed; it restores the count and owes no run.
  const clock3 = new ManualClock(at(175));
  const [last] = await startCluster(settings, clock3);
  await drive(clock3, [last!], at(176));
  const count = await last!.count();
  const phase3 = successes(last!.host.runs.recent());

  const all = [...phase1, ...phase2, ...phase3];
  const scheduledAts = all.map((run) => run.scheduledAt).sort((a, b) => a - b);
  // No occurrence twice, none lost: exactly +10 … +170, each once.
  expect(scheduledAts).toEqual(occurrences(10, 170));
  expect(phase1.map((run) => run.scheduledAt).sort()).toEqual(occurrences(10, 60));
  const catchups = phase2.filter((run) => run.isCatchup).map((run) => run.scheduledAt);
  // +70 and +80 were more than the 60 s grace window late when the cluster came back: catch-ups, not late runs.
  expect(catchups).toEqual(expect.arrayContaining([at(70), at(80)]));
  expect(phase2.map((run) => run.scheduledAt).sort()).toEqual(occurrences(70, 170));
  expect(count).toBe(17);
  return { perPhase: [phase1.length, phase2.length, phase3.length], count, catchups: catchups.length };
}

describe('a cluster of stateless nodes sharing state through the lock backend', () => {
  it('on Redis: the count and the missed-run catch-ups survive the whole cluster restarting on empty disks', async () => {
    const keyPrefix = `stateless-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const result = await wholeClusterRestarts(`[locking]\nbackend = "redis"\nredis_url = "${REDIS_URL}"\nkey_prefix = "${keyPrefix}"\n`);
    expect(result).toEqual({ perPhase: [6, 11, 0], count: 17, catchups: expect.any(Number) });
    console.info(`stateless cluster on Redis: runs per phase ${result.perPhase.join('/')}, ${result.catchups} catch-ups, final count ${result.count}`);
  }, SCENARIO_TIMEOUT_MS);

  it('on PostgreSQL: the count and the missed-run catch-ups survive the whole cluster restarting on empty disks', async () => {
    const keyPrefix = `stateless-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const result = await wholeClusterRestarts(`[locking]\nbackend = "pg"\ndatabase_url = "${DATABASE_URL}"\nkey_prefix = "${keyPrefix}"\n`);
    expect(result).toEqual({ perPhase: [6, 11, 0], count: 17, catchups: expect.any(Number) });
    console.info(`stateless cluster on PostgreSQL: runs per phase ${result.perPhase.join('/')}, ${result.catchups} catch-ups, final count ${result.count}`);
  }, SCENARIO_TIMEOUT_MS);
});

describe('the same cluster keeping its state in files', () => {
  it('loses the count and every missed occurrence when the disks go: what the shared store prevents', async () => {
    const keyPrefix = `stateless-file-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const settings = `state_store = "file"\n[locking]\nbackend = "redis"\nredis_url = "${REDIS_URL}"\nkey_prefix = "${keyPrefix}"\n`;
    const clock1 = new ManualClock(START);
    const first = await startCluster(settings, clock1);
    await drive(clock1, first, at(30), () => successes(first.flatMap((n) => n.host.runs.recent())).length === 3);
    await stopAndWipe(first);
    const clock2 = new ManualClock(at(146));
    const second = await startCluster(settings, clock2);
    await drive(clock2, second, at(170), () => successes(second.flatMap((n) => n.host.runs.recent())).length === 3);
    const phase2 = successes(await stopAndWipe(second));
    expect(phase2.map((run) => run.scheduledAt).sort()).toEqual(occurrences(150, 170));
    const [last] = await startCluster(settings, new ManualClock(at(175)));
    expect(await last!.count()).toBe(0);
  }, SCENARIO_TIMEOUT_MS);
});
