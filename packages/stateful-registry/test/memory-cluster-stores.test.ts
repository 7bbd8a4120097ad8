import type { RunRecordOutcome, RunRecordSkipReason } from '@belfry/plugin-api';
import { ManualClock, type RunOutcome, type SkipReason } from '@belfry/scheduler-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '../src/index.js';

const START = Date.UTC(2026, 10, 27, 12);

function run(id: string, startedAt: number) {
  return { id, plugin: 'billing', scheduleId: 'nightly', scheduledAt: startedAt, nodeId: 'node-a', locking: 'require_global', outcome: 'success', startedAt, durationMs: 5, isCatchup: false, manual: false } as const;
}

describe('MemoryRunHistory', () => {
  it('records runs in the scheduler vocabulary of outcomes and skip reasons', () => {
    expectTypeOf<RunRecordOutcome>().toEqualTypeOf<RunOutcome>();
    expectTypeOf<RunRecordSkipReason>().toEqualTypeOf<SkipReason>();
  });

  it('defaults to 10,000 runs and 7 days of retention', () => {
    const history = new MemoryRunHistory();
    expect([history.maxRuns, history.maxAgeMs]).toEqual([10_000, 7 * 24 * 60 * 60 * 1000]);
  });

  it('refuses bad retention options, naming the option', () => {
    expect(() => new MemoryRunHistory({ maxRuns: 0 })).toThrow(/MemoryRunHistory: options.maxRuns must be an integer ≥ 1, got 0/);
    expect(() => new MemoryRunHistory({ maxAgeMs: 1.5 })).toThrow(/options.maxAgeMs must be an integer ≥ 1, got 1.5/);
    expect(() => new MemoryRunHistory(null as never)).toThrow(/options must be an object, got null/);
  });

  it('ages runs on its clock, shared with its peers', async () => {
    const clock = new ManualClock(START);
    const history = new MemoryRunHistory({ maxAgeMs: 1000, clock });
    await history.append([run('r-1', START)]);
    const peer = history.peer();
    expect((await peer.query({ limit: 5 })).runs.map((r) => r.id)).toEqual(['r-1']);
    await clock.advance(1001);
    expect((await peer.query({ limit: 5 })).runs).toEqual([]);
  });

  it('names the record and field of a bad append', async () => {
    const history = new MemoryRunHistory();
    await expect(history.append([run('r-1', START), { ...run('r-2', START), outcome: 'nope' as never }])).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('MemoryRunHistory.append: runs[1].outcome must be one of "success", "error", "skipped", got "nope"'),
    });
  });
});

describe('memory store options', () => {
  it('refuses an unknown option, a clock without setTimer and a logger without warn, naming the store', () => {
    expect(() => new MemoryPresence({ clok: 1 } as never)).toThrow(/MemoryPresence: options has an unknown key "clok"/);
    expect(() => new MemoryControl({ clock: { now: () => 1 } } as never)).toThrow(/MemoryControl: options.clock must be a Clock with now\(\) and setTimer\(\), got an object/);
    expect(() => new MemoryControl({ logger: console.log } as never)).toThrow(/MemoryControl: options.logger must be a Logger with warn\(\)/);
    expect(() => new MemoryRunHistory({ maxRuns: 5, ttl: 3 } as never)).toThrow(/MemoryRunHistory: options has an unknown key "ttl"/);
  });
});

describe('MemoryPresence', () => {
  it('expires a node exactly when its TTL has run out on the clock', async () => {
    const clock = new ManualClock(START);
    const presence = new MemoryPresence({ clock });
    await presence.publish({ nodeId: 'node-a', version: '1', startedAt: START, backend: 'memory', status: 'running' }, 1000);
    await clock.advance(999);
    expect((await presence.list()).map((node) => [node.nodeId, node.lastSeenAt])).toEqual([['node-a', START]]);
    await clock.advance(1);
    expect(await presence.list()).toEqual([]);
  });
});

describe('MemoryControl', () => {
  it('reports a watcher that throws to its logger and keeps telling it', async () => {
    const warnings: string[] = [];
    const logger = { info() {}, warn: (message: string) => warnings.push(message), error() {} };
    const control = new MemoryControl({ logger, clock: new ManualClock(START) });
    let calls = 0;
    control.watch(() => {
      calls += 1;
      throw new Error('listener broke');
    });
    await control.pause({ kind: 'poller_job', jobId: 'feed' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(2);
    expect(warnings).toEqual(['MemoryControl: a watcher threw: listener broke', 'MemoryControl: a watcher threw: listener broke']);
  });

  it('tells a watcher the list as it is at delivery, never an older one', async () => {
    const control = new MemoryControl({ clock: new ManualClock(START) });
    const seen: number[] = [];
    control.watch((paused) => seen.push(paused.length));
    await control.pause({ kind: 'poller_job', jobId: 'a' });
    await control.pause({ kind: 'poller_job', jobId: 'b' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.at(-1)).toBe(2);
    expect([...seen].sort()).toEqual(seen);
  });
});
