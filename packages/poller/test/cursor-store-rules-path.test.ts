import { expect, test } from 'vitest';
import { MemoryCursorStore } from '../src/index.js';
import { cursorStoreRules, cursorStoreSuite } from '../src/testing/cursor-store-rules.js';

test('src/testing/cursor-store-rules.js still takes the older { name, create, reopen? } target and runs the conformance rules', async () => {
  const registered: Array<{ name: string; fn: () => Promise<void> }> = [];
  const api = { test: (name: string, fn: () => Promise<void>) => void registered.push({ name, fn }) };
  const backing = new MemoryCursorStore();
  cursorStoreSuite(api, { name: 'shared memory', create: () => new MemoryCursorStore(), reopen: () => backing });
  expect(registered.map((entry) => entry.name.slice(0, 10))).toEqual(cursorStoreRules.map((rule) => rule.id));
  const memoryOnly: typeof registered = [];
  cursorStoreSuite({ test: (name, fn) => void memoryOnly.push({ name, fn }) }, { name: 'memory', create: () => new MemoryCursorStore() });
  expect(memoryOnly.map((entry) => entry.name.slice(0, 10))).not.toContain('CURSOR-011');
  for (const entry of memoryOnly) await entry.fn();
});
