import { describe, expect, it } from 'vitest';
import { jitterFor } from '../src/jitter-for.js';

const T = Date.parse('2026-05-01T00:00:00Z');

describe('jitterFor', () => {
  it('spreads delays evenly over [0, jitterMs): every tenth of the range gets 8-12 % of 10,000 occurrences', () => {
    const maxMs = 30_000;
    const tenths = new Array<number>(10).fill(0);
    let atZero = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const delay = jitterFor('reports', 'nightly', T + i * 60_000, maxMs);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(maxMs);
      expect(Number.isInteger(delay)).toBe(true);
      if (delay === 0) atZero += 1;
      const tenth = Math.floor(delay / (maxMs / 10));
      tenths[tenth] = (tenths[tenth] ?? 0) + 1;
    }
    for (const count of tenths) {
      expect(count).toBeGreaterThanOrEqual(800);
      expect(count).toBeLessThanOrEqual(1_200);
    }
    // An even spread puts about 1 in 30,000 at exactly 0 ms, not half of them.
    expect(atZero).toBeLessThan(10);
  });

  it('spreads the occurrences of many schedules at one instant as evenly', () => {
    const tenths = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i += 1) {
      const tenth = Math.floor(jitterFor('p', `s${i}`, T, 1_000) / 100);
      tenths[tenth] = (tenths[tenth] ?? 0) + 1;
    }
    for (const count of tenths) expect(count).toBeGreaterThanOrEqual(800);
    for (const count of tenths) expect(count).toBeLessThanOrEqual(1_200);
  });

  it('gives the same delay for the same occurrence every time and a different one for the next occurrence', () => {
    expect(jitterFor('p', 's', T, 30_000)).toBe(jitterFor('p', 's', T, 30_000));
    const delays = new Set([0, 1, 2, 3, 4].map((i) => jitterFor('p', 's', T + i * 60_000, 30_000)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('never delays when jitterMs is 0 and stays below 1 ms when jitterMs is 1', () => {
    expect(jitterFor('p', 's', T, 0)).toBe(0);
    for (let i = 0; i < 100; i += 1) expect(jitterFor('p', 's', T + i, 1)).toBe(0);
  });
});
