import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';

describe('ManualClock', () => {
  it('starts at the given time and stands still until advanced', async () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    await clock.advanceTo(5_000);
    expect(clock.now()).toBe(5_000);
  });

  it('fires due timers in time order, with now() at each timer’s due time', async () => {
    const clock = new ManualClock(0);
    const seen: [string, number][] = [];
    clock.setTimer(() => seen.push(['c', clock.now()]), 300);
    clock.setTimer(() => seen.push(['a', clock.now()]), 100);
    clock.setTimer(() => seen.push(['b', clock.now()]), 200);
    clock.setTimer(() => seen.push(['late', clock.now()]), 1_000);
    await clock.advance(500);
    expect(seen).toEqual([
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
    expect(clock.now()).toBe(500);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires timers due at the same time in the order they were set', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    for (let i = 0; i < 5; i += 1) clock.setTimer(() => seen.push(i), 10);
    await clock.advance(10);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('lets pending promises settle between timers, so chained work sees the right time', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.setTimer(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => {
          seen.push(clock.now());
          clock.setTimer(() => seen.push(clock.now()), 50);
        });
    }, 100);
    clock.setTimer(() => seen.push(clock.now()), 120);
    await clock.advance(1_000);
    expect(seen).toEqual([100, 120, 150]);
  });

  it('never fires a cancelled timer, and cancelling twice is harmless', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    const cancel = clock.setTimer(() => {
      fired = true;
    }, 10);
    cancel();
    cancel();
    await clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('treats a negative delay as zero', async () => {
    const clock = new ManualClock(50);
    let firedAt = -1;
    clock.setTimer(() => {
      firedAt = clock.now();
    }, -20);
    await clock.advance(0);
    expect(firedAt).toBe(50);
  });

  it('runs overlapping advance calls one after another', async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.setTimer(() => seen.push(clock.now()), 150);
    await Promise.all([clock.advance(100), clock.advance(100)]);
    expect(clock.now()).toBe(200);
    expect(seen).toEqual([150]);
  });

  it('jumps the time without firing timers, as a wall-clock step does', async () => {
    const clock = new ManualClock(0);
    let fired = 0;
    clock.setTimer(() => {
      fired += 1;
    }, 100);
    clock.jumpTo(10_000);
    expect(fired).toBe(0);
    await clock.advance(0);
    expect(fired).toBe(1);
    clock.jumpTo(5);
    expect(clock.now()).toBe(5);
  });

  it('rejects bad arguments with invalid_argument errors', async () => {
    expect(() => new ManualClock(Number.NaN)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    const clock = new ManualClock(100);
    await expect(clock.advance(-1)).rejects.toThrow('ManualClock.advance cannot go backwards (got -1)');
    await expect(clock.advanceTo(50)).rejects.toThrow('ManualClock.advanceTo cannot go backwards: 50 is before now (100)');
    await expect(clock.advance(Number.POSITIVE_INFINITY)).rejects.toThrow(/finite number/);
    expect(clock.now()).toBe(100);
    expect(() => clock.setTimer(() => undefined, Number.NaN)).toThrow(/finite/);
    expect(() => clock.setTimer('x' as unknown as () => void, 1)).toThrow(/function/);
  });
});
