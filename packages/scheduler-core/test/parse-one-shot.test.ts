import { describe, expect, it } from 'vitest';
import { parseOneShot } from '../src/index.js';

describe('parseOneShot', () => {
  it('reads an instant with Z or an offset into a once schedule whose next is the instant, then null', () => {
    const at = Date.parse('2026-12-01T09:00:00Z');
    const once = parseOneShot('2026-12-01T09:00:00Z');
    expect(once).toMatchObject({ expression: '2026-12-01T09:00:00Z', timezone: 'UTC', kind: 'once' });
    expect(once.next(at - 1)).toBe(at);
    expect(once.next(at)).toBeNull();
    expect(once.next(at + 1)).toBeNull();
    expect(parseOneShot('2026-12-01T10:00:00+01:00').next(0)).toBe(at);
    expect(parseOneShot('2026-12-01T04:30-04:30').next(0)).toBe(at);
    expect(parseOneShot('2026-12-01T09:00:00.250Z').next(0)).toBe(at + 250);
    expect(parseOneShot('0050-01-01T00:00:00Z').next(-1e15)).toBe(Date.parse('0050-01-01T00:00:00Z'));
  });

  it.each([
    ['2026-12-01T09:00:00', /no offset/],
    ['2026-12-01', /no offset/],
    ['2026-02-30T09:00:00Z', /no such date or time/],
    ['2026-12-01T24:00:00Z', /no such date or time/],
    ['2026-12-01T09:00:60Z', /no such date or time/],
    ['2026-13-01T09:00:00Z', /no such date or time/],
    ['2026-12-01T09:00:00+25:00', /offset is out of range/],
    ['tomorrow', /not an ISO 8601 instant/],
    ['', /not an ISO 8601 instant/],
  ])('refuses %j with a ScheduleParseError naming the fix', (text, reason) => {
    expect(() => parseOneShot(text)).toThrow(expect.objectContaining({ code: 'schedule_parse', message: expect.stringMatching(reason) }));
    expect(() => parseOneShot(text)).toThrow(/such as 2026-12-01T09:00:00Z/);
  });

  it('refuses a non-string', () => {
    expect(() => parseOneShot(42 as unknown as string)).toThrow(/must be a string \(got/);
  });
});
