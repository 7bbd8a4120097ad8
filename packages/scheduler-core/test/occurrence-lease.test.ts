import { describe, expect, it } from 'vitest';
import { MemoryLocking } from '@belfry/locking-memory';
import { LockLostError, type LockingPlugin } from '@belfry/plugin-api';
import { ManualClock } from '../src/index.js';
import { OccurrenceLease, type OccurrenceLeaseOptions } from '../src/occurrence-lease.js';
import { FlakyLocking } from './flaky-locking.js';
import { T0 } from './support.js';

const KEY = 'belfry:run:p:s:1';

function lease(clock: ManualClock, locking: LockingPlugin, options: Partial<OccurrenceLeaseOptions> = {}): OccurrenceLease {
  return new OccurrenceLease({ locking, clock, lockTtlMs: 9_000, key: KEY, fenceKey: 'belfry:fence:p:s', holdUntil: Number.NEGATIVE_INFINITY, ...options });
}

async function take(l: OccurrenceLease): Promise<boolean> {
  return l.taken(await l.request());
}

describe('OccurrenceLease', () => {
  it('takes the lock once; a second lease on the same key finds it held', async () => {
    const clock = new ManualClock(T0);
    const locking = new MemoryLocking({ clock });
    const first = lease(clock, locking);
    expect(await take(first)).toBe(true);
    expect(first.held).toBe(true);
    expect(first.fence).toBe(1);
    const second = lease(clock, locking);
    expect(await take(second)).toBe(false);
    expect(second.held).toBe(false);
  });

  it('asks for a TTL that reaches the end of the hold window, never less than lockTtlMs', () => {
    const clock = new ManualClock(T0);
    const l = lease(clock, new MemoryLocking({ clock }), { holdUntil: T0 + 100_000 });
    expect(l.ttl()).toBe(100_000);
    expect(lease(clock, new MemoryLocking({ clock }), { holdUntil: T0 + 1_000 }).ttl()).toBe(9_000);
    expect(lease(clock, new MemoryLocking({ clock })).ttl()).toBe(9_000);
  });

  it('renews every third of the TTL until renewal is stopped', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const l = lease(clock, locking);
    await take(l);
    l.keepAlive(new AbortController().signal, () => undefined);
    await clock.advance(9_000);
    expect(locking.calls.filter((c) => c.op === 'renew').map((c) => c.at - T0)).toEqual([3_000, 6_000, 9_000]);
    l.stopRenewal();
    await clock.advance(30_000);
    expect(locking.calls.filter((c) => c.op === 'renew')).toHaveLength(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops renewing once the run’s signal is aborted', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const l = lease(clock, locking);
    await take(l);
    const controller = new AbortController();
    l.keepAlive(controller.signal, () => undefined);
    await clock.advance(3_000);
    controller.abort();
    await clock.advance(30_000);
    expect(locking.calls.filter((c) => c.op === 'renew')).toHaveLength(1);
  });

  it('reports a lost lock once, as LockLostError, and renews no more', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const l = lease(clock, locking);
    await take(l);
    const lost: unknown[] = [];
    l.keepAlive(new AbortController().signal, (error) => lost.push(error));
    locking.failRenew = true;
    await clock.advance(30_000);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(LockLostError);
    expect(lost[0]).toMatchObject({ code: 'lock_lost', key: KEY });
    expect(locking.calls.filter((c) => c.op === 'renew')).toHaveLength(1);
  });

  it('is past its hold window only while held and once the clock reaches it', async () => {
    const clock = new ManualClock(T0);
    const l = lease(clock, new MemoryLocking({ clock }), { holdUntil: T0 + 5_000 });
    expect(l.pastHold()).toBe(false);
    await take(l);
    expect(l.pastHold()).toBe(false);
    await clock.advance(5_000);
    expect(l.pastHold()).toBe(true);
  });

  it('releases once, so the key is free again and a second release does nothing', async () => {
    const clock = new ManualClock(T0);
    const locking = new FlakyLocking(clock);
    const l = lease(clock, locking);
    await take(l);
    await l.release();
    await l.release();
    expect(l.held).toBe(false);
    expect(locking.calls.filter((c) => c.op === 'release')).toHaveLength(1);
    expect(await take(lease(clock, locking))).toBe(true);
  });

  it('passes its fence scope only to a backend that declares supports.fenceKey', async () => {
    const clock = new ManualClock(T0);
    const seen: unknown[][] = [];
    const backend = ({ fenceKey }: { fenceKey: boolean }): LockingPlugin => ({
      name: 'recording',
      supports: { fences: true, fenceKey, peers: false, maxKeyLength: 100, maxCallMs: 1 },
      tryLock: (...args: unknown[]) => {
        seen.push(args);
        return Promise.resolve(null);
      },
      renew: () => Promise.resolve(),
      release: () => Promise.resolve(),
    });
    await take(lease(clock, backend({ fenceKey: true })));
    await take(lease(clock, backend({ fenceKey: false })));
    expect(seen).toEqual([[KEY, 9_000, { fenceKey: 'belfry:fence:p:s' }], [KEY, 9_000]]);
  });
});
