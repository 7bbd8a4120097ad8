import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../src/index.js';
import { occurrenceBefore } from '../src/occurrence-before.js';
import { rememberLastNext } from '../src/remember-last-next.js';
import { T0 } from './support.js';

describe('rememberLastNext', () => {
  it('answers as the schedule does, asking it once for a repeated instant', () => {
    const parsed = parseSchedule('*/5 * * * *', { timezone: 'Europe/Berlin' });
    let calls = 0;
    const counted = { ...parsed, next: (afterMs: number) => ((calls += 1), parsed.next(afterMs)) };
    const remembering = rememberLastNext(counted);
    expect(remembering.next(T0)).toBe(parsed.next(T0));
    expect(remembering.next(T0)).toBe(parsed.next(T0));
    expect(calls).toBe(1);
    const later = parsed.next(T0) as number;
    expect(remembering.next(later)).toBe(parsed.next(later));
    expect(remembering.next(T0)).toBe(parsed.next(T0));
    expect(calls).toBe(3);
    expect(remembering).toMatchObject({ expression: '*/5 * * * *', timezone: 'Europe/Berlin', kind: 'cron' });
  });

  it('steps backwards as the schedule it wraps', () => {
    const parsed = parseSchedule('0 9 * * MON-FRI');
    expect(occurrenceBefore(rememberLastNext(parsed), T0)).toBe(occurrenceBefore(parsed, T0));
  });
});
