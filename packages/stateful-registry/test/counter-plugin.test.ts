import { describe, expect, it } from 'vitest';
import { CounterPlugin } from '../src/example.js';

describe('CounterPlugin', () => {
  it('snapshots its count as version 2, a u64 big-endian', () => {
    const counter = new CounterPlugin({ id: 'hits' });
    counter.increment(258);
    expect(counter.snapshot()).toEqual({ id: 'hits', version: 2, bytes: new Uint8Array([0, 0, 0, 0, 0, 0, 1, 2]) });
  });

  it('still reads version 1, a u32 big-endian', () => {
    const counter = new CounterPlugin();
    counter.restoreSnapshot({ id: 'counter', version: 1, bytes: new Uint8Array([0, 0, 1, 0]) });
    expect(counter.count).toBe(256);
  });

  it('refuses other versions with UnsupportedVersionError and keeps its count', () => {
    const counter = new CounterPlugin();
    counter.increment(3);
    expect(() => counter.restoreSnapshot({ id: 'counter', version: 3, bytes: new Uint8Array(8) })).toThrow(
      expect.objectContaining({ code: 'unsupported_version', plugin: 'counter', version: 3, expected: [1, 2] }),
    );
    expect(counter.count).toBe(3);
  });

  it('rejects bytes of the wrong length, or a count beyond the safe integer range, with restore_failed', () => {
    const counter = new CounterPlugin();
    expect(() => counter.restoreSnapshot({ id: 'counter', version: 2, bytes: new Uint8Array(4) })).toThrow(
      expect.objectContaining({ code: 'restore_failed', message: 'Restore of plugin "counter" failed: version 2 holds 8 bytes, got 4' }),
    );
    expect(() => counter.restoreSnapshot({ id: 'counter', version: 2, bytes: new Uint8Array(8).fill(0xff) })).toThrow(/beyond the safe integer range/);
    expect(counter.count).toBe(0);
  });

  it('validates its id and increments', () => {
    expect(() => new CounterPlugin({ id: 'Bad Id' })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    const counter = new CounterPlugin();
    expect(() => counter.increment(-1)).toThrow(/by must be a non-negative integer keeping the count safe, got -1/);
    expect(() => counter.increment(0.5)).toThrow(/got 0.5/);
    expect(counter.increment()).toBe(1);
  });
});
