import { describe, expect, it } from 'vitest';
import { StartGate } from '../src/start-gate.js';

describe('StartGate', () => {
  it('lets everyone who arrived in the same turn through in order, not in arrival order', async () => {
    const gate = new StartGate<number>((a, b) => a < b);
    const through: number[] = [];
    await Promise.all([5, 1, 3, 2, 4].map((n) => gate.wait(n).then(() => through.push(n))));
    expect(through).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not hold a later arrival back for ones that have not arrived yet', async () => {
    const gate = new StartGate<number>((a, b) => a < b);
    const through: number[] = [];
    await gate.wait(9).then(() => through.push(9));
    await gate.wait(1).then(() => through.push(1));
    expect(through).toEqual([9, 1]);
  });
});
