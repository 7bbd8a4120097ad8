import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { GroupedTimers } from '../src/grouped-timers.js';
import { T0 } from './support.js';

describe('GroupedTimers', () => {
  it('sets one clock timer for every callback due at the same instant, and calls them in the order set', async () => {
    const clock = new ManualClock(T0);
    const timers = new GroupedTimers(clock);
    const called: string[] = [];
    for (const name of ['a', 'b', 'c']) timers.setTimer(() => called.push(name), 1_000);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(999);
    expect(called).toEqual([]);
    await clock.advance(1);
    expect(called).toEqual(['a', 'b', 'c']);
    expect(clock.pendingTimers).toBe(0);
    expect(timers.pendingGroups).toBe(0);
  });

  it('keeps a timer per distinct instant', async () => {
    const clock = new ManualClock(T0);
    const timers = new GroupedTimers(clock);
    const called: string[] = [];
    timers.setTimer(() => called.push('late'), 2_000);
    timers.setTimer(() => called.push('early'), 1_000);
    await clock.advance(1);
    timers.setTimer(() => called.push('early+1'), 1_000);
    expect(clock.pendingTimers).toBe(3);
    await clock.advance(2_000);
    expect(called).toEqual(['early', 'early+1', 'late']);
  });

  it('cancels one callback of a group, and the clock timer with the last one', async () => {
    const clock = new ManualClock(T0);
    const timers = new GroupedTimers(clock);
    const called: string[] = [];
    const cancelA = timers.setTimer(() => called.push('a'), 1_000);
    const cancelB = timers.setTimer(() => called.push('b'), 1_000);
    cancelA();
    cancelA();
    expect(clock.pendingTimers).toBe(1);
    cancelB();
    expect(clock.pendingTimers).toBe(0);
    const again = (): void => void called.push('again');
    timers.setTimer(again, 1_000);
    timers.setTimer(again, 1_000);
    await clock.advance(1_000);
    // The same function set twice for one instant runs twice; the cancelled ones never.
    expect(called).toEqual(['again', 'again']);
  });

  it('lets a callback set a timer for the same instant again while its group fires', async () => {
    const clock = new ManualClock(T0);
    const timers = new GroupedTimers(clock);
    const called: number[] = [];
    timers.setTimer(() => {
      called.push(clock.now());
      timers.setTimer(() => called.push(clock.now()), 0);
    }, 500);
    await clock.advance(500);
    expect(called).toEqual([T0 + 500, T0 + 500]);
  });
});
