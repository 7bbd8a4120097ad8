import { describe, expect, it } from 'vitest';
import { findLimitBreach } from './find-limit-breach.js';

describe('findLimitBreach', () => {
  it('finds the first bracket past the depth limit', () => {
    expect(findLimitBreach('a = [[[1]]]', 2, 100)).toEqual({ offset: 6, reason: 'depth' });
    expect(findLimitBreach('a = [[1]]\nb = [[2]]', 2, 100)).toBeUndefined();
  });

  it('counts inline tables and arrays together', () => {
    expect(findLimitBreach('a = [{ b = [1] }]', 2, 100)).toEqual({ offset: 11, reason: 'depth' });
  });

  it('ignores brackets in every kind of string and in comments', () => {
    const text = `a = "[[[\\"[["\nb = '[[['\nc = """\n[[[\n"""\nd = '''[[['''\n# [[[[`;
    expect(findLimitBreach(text, 1, 100)).toBeUndefined();
  });

  it('finds a string or bare token longer than the token limit at its start', () => {
    expect(findLimitBreach(`a = "${'x'.repeat(20)}"`, 8, 10)).toEqual({ offset: 4, reason: 'token' });
    expect(findLimitBreach(`a = 1${'0'.repeat(20)}`, 8, 10)).toEqual({ offset: 4, reason: 'token' });
    expect(findLimitBreach(`${'k'.repeat(20)} = 1`, 8, 10)).toEqual({ offset: 0, reason: 'token' });
  });

  it('ends on unterminated strings', () => {
    expect(findLimitBreach('a = "[[[', 1, 100)).toBeUndefined();
    expect(findLimitBreach('a = """[[[', 1, 100)).toBeUndefined();
    expect(findLimitBreach('a = "\\', 1, 100)).toBeUndefined();
  });
});
