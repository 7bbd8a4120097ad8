import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/index.js';

const DAY = 24 * 60 * 60 * 1000;

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not fire a 30-day timer early, although setTimeout cannot wait that long', () => {
    vi.useFakeTimers({ now: 0 });
    const fired = vi.fn();
    systemClock.setTimer(fired, 30 * DAY);
    vi.advanceTimersByTime(30 * DAY - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('never fires a cancelled timer, even one split into several setTimeouts', () => {
    vi.useFakeTimers({ now: 0 });
    const fired = vi.fn();
    const cancel = systemClock.setTimer(fired, 40 * DAY);
    vi.advanceTimersByTime(25 * DAY);
    cancel();
    cancel();
    vi.advanceTimersByTime(20 * DAY);
    expect(fired).not.toHaveBeenCalled();
  });

  it('treats a negative delay as zero', () => {
    vi.useFakeTimers({ now: 0 });
    const fired = vi.fn();
    systemClock.setTimer(fired, -5);
    vi.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('reads the current time', () => {
    vi.useFakeTimers({ now: 1234 });
    expect(systemClock.now()).toBe(1234);
  });
});
