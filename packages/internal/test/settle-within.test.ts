import type { Clock } from '@belfry/plugin-api';
import { describe, expect, it } from 'vitest';
import { settleWithin } from '../src/settle-within.js';

/** A clock whose timers fire only when the test says so. */
function heldClock() {
  const timers = new Set<() => void>();
  const clock: Clock = {
    now: () => 0,
    setTimer(callback) {
      timers.add(callback);
      return () => timers.delete(callback);
    },
  };
  return { clock, timers, fire: () => [...timers].forEach((callback) => callback()) };
}

const timeoutError = () => new Error('too slow');

describe('settleWithin', () => {
  it('settles like the work when it finishes first, and clears its timer', async () => {
    const { clock, timers } = heldClock();
    await expect(settleWithin(Promise.resolve(7), { ms: 10, clock, timeoutError })).resolves.toBe(7);
    await expect(settleWithin(Promise.reject(new Error('boom')), { ms: 10, clock, timeoutError })).rejects.toThrow('boom');
    expect(timers.size).toBe(0);
  });

  it('rejects with the timeout error when the deadline passes first', async () => {
    const { clock, fire } = heldClock();
    const waiting = settleWithin(new Promise(() => {}), { ms: 10, clock, timeoutError });
    fire();
    await expect(waiting).rejects.toThrow('too slow');
  });

  it('hands a value that arrives after the deadline to onLateValue', async () => {
    const { clock, fire } = heldClock();
    let deliver: (value: string) => void = () => {};
    const late: string[] = [];
    const waiting = settleWithin(new Promise<string>((resolve) => (deliver = resolve)), {
      ms: 10,
      clock,
      timeoutError,
      onLateValue: (value) => late.push(value),
    });
    fire();
    await expect(waiting).rejects.toThrow('too slow');
    deliver('connection');
    await Promise.resolve();
    await Promise.resolve();
    expect(late).toEqual(['connection']);
  });

  it('turns a synchronous throw of a work function into a rejection', async () => {
    const { clock } = heldClock();
    const work = () => {
      throw new Error('sync');
    };
    await expect(settleWithin(work, { ms: 10, clock, timeoutError })).rejects.toThrow('sync');
  });

  it('uses a real timer when no clock is given', async () => {
    await expect(settleWithin(new Promise(() => {}), { ms: 5, timeoutError })).rejects.toThrow('too slow');
  });
});
