import { describe, expect, it } from 'vitest';
import { useColor } from './use-color.js';

describe('useColor', () => {
  it('colours a terminal', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
  });

  it('never colours a pipe or a file', () => {
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, { FORCE_COLOR: '1' })).toBe(false);
  });

  it('respects NO_COLOR with any non-empty value, and ignores it when empty', () => {
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: 'false' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
