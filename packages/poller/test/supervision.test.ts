import { ManualClock } from '@belfry/scheduler-core';
import { describe, expect, test } from 'vitest';
import { KindSlots } from '../src/process/kind-slots.js';
import { RestartBackoff } from '../src/process/restart-backoff.js';

describe('RestartBackoff', () => {
  test('waits 1 s, doubling to at most 60 s', () => {
    const backoff = new RestartBackoff(new ManualClock(0));
    expect(Array.from({ length: 9 }, () => backoff.nextDelayMs())).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  test('starts afresh after a minute of health, not before', async () => {
    const clock = new ManualClock(0);
    const backoff = new RestartBackoff(clock);
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.started();
    await clock.advance(59_999);
    expect(backoff.nextDelayMs()).toBe(4000);
    backoff.started();
    await clock.advance(60_000);
    expect(backoff.nextDelayMs()).toBe(1000);
  });
});

describe('KindSlots', () => {
  test('lets `limit` ticks through and queues the rest in order', async () => {
    const slots = new KindSlots(2);
    const never = new AbortController().signal;
    const order: string[] = [];
    const a = await slots.acquire(never);
    const b = await slots.acquire(never);
    const c = slots.acquire(never).then((release) => (order.push('c'), release));
    const d = slots.acquire(never).then((release) => (order.push('d'), release));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    a();
    a();
    await c;
    expect(order).toEqual(['c']);
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  test('a waiter whose signal aborts leaves the queue with the reason and never takes a slot', async () => {
    const slots = new KindSlots(1);
    const release = await slots.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    release();
    const next = await slots.acquire(new AbortController().signal);
    expect(next).toBeTypeOf('function');
  });
});
