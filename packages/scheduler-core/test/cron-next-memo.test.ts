import { Cron } from 'croner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSchedule } from '../src/index.js';
import { T0 } from './support.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('next of schedules that share a cron expression', () => {
  it('searches the calendar once when they are asked about the same instant, as a burst does', () => {
    const schedules = Array.from({ length: 50 }, () => parseSchedule('*/10 * * * * *', { timezone: 'Europe/Berlin' }));
    const searches = vi.spyOn(Cron.prototype, 'nextRun');
    const answers = new Set(schedules.map((schedule) => schedule.next(T0 + 1)));
    expect([...answers]).toEqual([T0 + 10_000]);
    expect(searches).toHaveBeenCalledTimes(1);
  });

  it('answers each instant correctly when asked about different ones in turn', () => {
    const a = parseSchedule('0 9 * * MON-FRI', { timezone: 'America/New_York' });
    const b = parseSchedule('0 9 * * MON-FRI', { timezone: 'America/New_York' });
    const friday = Date.parse('2026-05-01T13:00:00Z');
    const monday = Date.parse('2026-05-04T13:00:00Z');
    for (let i = 0; i < 3; i += 1) {
      expect(a.next(T0)).toBe(friday);
      expect(b.next(friday)).toBe(monday);
    }
  });
});
