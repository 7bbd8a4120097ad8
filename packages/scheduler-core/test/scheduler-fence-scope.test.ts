import { describe, expect, it } from 'vitest';
import type { LockHandle, LockingPlugin, LockingSupports, TryLockOptions } from '@belfry/plugin-api';
import { ManualClock, Scheduler } from '../src/index.js';
import { RecordingLogger, recordingPlugin, T0 } from './support.js';

/**
 * A small in-memory backend that records the arguments of every tryLock and
 * keeps one fence counter per scope: `fenceKey` when it honours it, else the key.
 */
class ScopedFenceLocking implements LockingPlugin {
  readonly name = 'scoped-fence';
  readonly supports: LockingSupports | undefined;
  readonly tryLockArgs: unknown[][] = [];
  readonly counters = new Map<string, number>();
  private readonly held = new Map<string, string>();
  private nextId = 0;

  constructor({ fenceKey: honoursFenceKey }: { fenceKey: boolean | 'undeclared' }) {
    this.supports = honoursFenceKey === 'undeclared'
      ? undefined
      : { fences: true, fenceKey: honoursFenceKey, peers: false, maxKeyLength: 1024, maxCallMs: 1 };
  }

  async tryLock(key: string, ttlMs: number, options?: TryLockOptions): Promise<LockHandle | null> {
    // Records exactly what was passed, so "called without options" is visible as two arguments.
    this.tryLockArgs.push([...arguments]);
    if (this.held.has(key)) return null;
    const scope = this.supports?.fenceKey === true ? (options?.fenceKey ?? key) : key;
    const fence = (this.counters.get(scope) ?? 0) + 1;
    this.counters.set(scope, fence);
    const lockId = `lock-${(this.nextId += 1)}`;
    this.held.set(key, lockId);
    return { key, lockId, ttlMs, fence };
  }

  async renew(): Promise<void> {}

  async release(handle: LockHandle): Promise<void> {
    if (this.held.get(handle.key) === handle.lockId) this.held.delete(handle.key);
  }
}

async function runThree(locking: ScopedFenceLocking, pluginName = 'p'): Promise<(number | undefined)[]> {
  const clock = new ManualClock(T0);
  const scheduler = new Scheduler({ clock, locking, logger: new RecordingLogger() });
  const plugin = recordingPlugin(pluginName, [{ id: 's', cron: '1m' }]);
  await scheduler.register(plugin);
  await scheduler.start();
  await clock.advance(3 * 60_000);
  await scheduler.trigger(pluginName, 's');
  await scheduler.stop();
  return plugin.runs.map((run) => run.fence);
}

describe('fence scope per schedule', () => {
  it('passes one fenceKey per schedule to a backend that declares supports.fenceKey, so fences increase across occurrences', async () => {
    const locking = new ScopedFenceLocking({ fenceKey: true });
    const fences = await runThree(locking);
    expect(locking.tryLockArgs.map(([key, , options]) => [key, options])).toEqual([
      [`belfry:run:p:s:${T0 + 60_000}`, { fenceKey: 'belfry:fence:p:s' }],
      [`belfry:run:p:s:${T0 + 120_000}`, { fenceKey: 'belfry:fence:p:s' }],
      [`belfry:run:p:s:${T0 + 180_000}`, { fenceKey: 'belfry:fence:p:s' }],
      [`belfry:run:p:s:${T0 + 180_000}:manual`, { fenceKey: 'belfry:fence:p:s' }],
    ]);
    expect(fences).toEqual([1, 2, 3, 4]);
    // One counter for the schedule, not one per occurrence.
    expect([...locking.counters.keys()]).toEqual(['belfry:fence:p:s']);
  });

  it('encodes the plugin and schedule names in the fence key as in the lock key', async () => {
    const locking = new ScopedFenceLocking({ fenceKey: true });
    await runThree(locking, 'acme:billing/v2');
    expect(locking.tryLockArgs[0]?.[2]).toEqual({ fenceKey: 'belfry:fence:acme%3Abilling%2Fv2:s' });
  });

  for (const declared of [false, 'undeclared'] as const) {
    it(`calls tryLock(key, ttlMs) without options when the backend ${declared === false ? 'declares fenceKey: false' : 'declares no supports'}`, async () => {
      const locking = new ScopedFenceLocking({ fenceKey: declared });
      await runThree(locking);
      expect(locking.tryLockArgs).toHaveLength(4);
      for (const args of locking.tryLockArgs) expect(args).toHaveLength(2);
      expect(locking.counters.size).toBe(4);
    });
  }
});
