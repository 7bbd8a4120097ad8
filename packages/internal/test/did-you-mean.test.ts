import { describe, expect, it } from 'vitest';
import { didYouMean } from '../src/did-you-mean.js';

describe('didYouMean', () => {
  const keys = ['kinds', 'broker_topic_prefix', 'lifecycle', 'max_concurrent_ticks', 'tick_timeout_secs'];

  it('finds a key written in another case style', () => {
    expect(didYouMean('brokerTopicPrefix', keys)).toBe('broker_topic_prefix');
    expect(didYouMean('TICK-TIMEOUT-SECS', keys)).toBe('tick_timeout_secs');
  });

  it('finds a key one or two edits away, swapped letters included', () => {
    expect(didYouMean('kind', keys)).toBe('kinds');
    expect(didYouMean('lifecyle', keys)).toBe('lifecycle');
    expect(didYouMean('lifecylce', keys)).toBe('lifecycle');
  });

  it('suggests nothing for a word that is not close to any key', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('x', keys)).toBeUndefined();
    expect(didYouMean('', keys)).toBeUndefined();
  });

  it('suggests nothing for very long input instead of spending time on it', () => {
    expect(didYouMean('k'.repeat(10_000), keys)).toBeUndefined();
  });
});
