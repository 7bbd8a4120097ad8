import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { Timeline } from '../src/timeline.js';
import type { Tick } from '../src/firing.js';
import { entryFixture } from './entry-fixture.js';
import { T0 } from './support.js';

const entry = entryFixture('p');
const tick = (at: number, epoch = 0): Tick => ({ type: 'tick', entry, scheduledAt: at, fireAt: at, epoch });

describe('Timeline', () => {
  it('keeps one timer, for the earliest item, and calls back when it is due', async () => {
    const clock = new ManualClock(T0);
    let calls = 0;
    const timeline = new Timeline(clock, 60_000, () => (calls += 1));
    timeline.push(tick(T0 + 5_000));
    timeline.push(tick(T0 + 2_000));
    timeline.arm();
    timeline.arm();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1_999);
    expect(calls).toBe(0);
    await clock.advance(1);
    expect(calls).toBe(1);
    expect(timeline.takeDue(clock.now()).map((item) => item.fireAt - T0)).toEqual([2_000]);
  });

  it('never sets the timer further out than maxTimerDelayMs', async () => {
    const clock = new ManualClock(T0);
    let calls = 0;
    const timeline = new Timeline(clock, 30_000, () => (calls += 1));
    timeline.push(tick(T0 + 40 * 86_400_000));
    timeline.arm();
    await clock.advance(30_000);
    expect(calls).toBe(1);
    expect(timeline.takeDue(clock.now())).toEqual([]);
  });

  it('takes only items that are due, earliest first', () => {
    const timeline = new Timeline(new ManualClock(T0), 30_000, () => undefined);
    for (const at of [T0 + 3, T0 + 1, T0 + 9, T0 + 2]) timeline.push(tick(at));
    expect(timeline.takeDue(T0 + 3).map((item) => item.fireAt - T0)).toEqual([1, 2, 3]);
    expect(timeline.pending().map((item) => item.fireAt - T0)).toEqual([9]);
  });

  it('forgets everything on close, and ignores items of an older epoch', async () => {
    const clock = new ManualClock(T0);
    let calls = 0;
    const timeline = new Timeline(clock, 30_000, () => (calls += 1));
    const old = tick(T0 + 1_000);
    timeline.push(old);
    timeline.arm();
    timeline.close();
    expect(timeline.epoch).toBe(1);
    expect(timeline.isCurrent(old)).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    timeline.push(old);
    expect(timeline.takeDue(T0 + 1_000)).toEqual([]);
    await clock.advance(60_000);
    expect(calls).toBe(0);
  });
});
