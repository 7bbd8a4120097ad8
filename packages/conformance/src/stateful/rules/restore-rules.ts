import type { Rule } from '../../core/rule.js';
import { check } from '../../core/check.js';
import type { StatefulContext } from '../stateful-context.js';
import { copyOf, describeSnapshot, detachedCopy, mustSnapshot, restoreInto, sameState } from '../stateful-steps.js';

export const restoreRules: Rule<StatefulContext>[] = [
  {
    id: 'STATE-004',
    sentence: 'restoring a snapshot into a fresh instance reproduces it: the fresh instance then snapshots the same version and bytes',
    requires: ['restore'],
    async run({ plugin, fresh, change }) {
      await change(plugin);
      await change(plugin);
      const saved = await mustSnapshot(plugin, 'snapshot of the changed plugin');
      const expected = copyOf(saved);
      const target = await fresh();
      const before = await mustSnapshot(target, 'fresh instance');
      check(!sameState(before, expected), 'factory.change did not change the state: a changed plugin snapshots like a fresh one');
      await restoreInto(target, saved);
      const after = await mustSnapshot(target, 'after restore');
      check(sameState(after, expected), `after restore the fresh instance snapshots ${describeSnapshot(after)}, expected ${describeSnapshot(expected)}`);
    },
  },
  {
    id: 'STATE-005',
    sentence: 'restore replaces the state of an instance that has changed since it started, rather than merging into it',
    requires: ['restore'],
    async run({ plugin, fresh, change }) {
      await change(plugin);
      const taken = await mustSnapshot(plugin, 'snapshot after one change');
      const saved = copyOf(taken);
      const target = await fresh();
      for (let i = 0; i < 3; i += 1) await change(target);
      await restoreInto(target, { ...taken, bytes: detachedCopy(taken.bytes) });
      const after = await mustSnapshot(target, 'after restore');
      check(sameState(after, saved), `after restoring into a changed instance it snapshots ${describeSnapshot(after)}, expected ${describeSnapshot(saved)}`);
    },
  },
  {
    id: 'STATE-006',
    sentence: 'restore is idempotent: restoring the same snapshot twice leaves the same state as restoring it once',
    requires: ['restore'],
    async run({ plugin, fresh, change }) {
      await change(plugin);
      const saved = await mustSnapshot(plugin, 'snapshot');
      const expected = copyOf(saved);
      const target = await fresh();
      await restoreInto(target, { ...saved, bytes: detachedCopy(saved.bytes) });
      await restoreInto(target, { ...saved, bytes: detachedCopy(saved.bytes) });
      const after = await mustSnapshot(target, 'after two restores');
      check(sameState(after, expected), `after restoring twice the plugin snapshots ${describeSnapshot(after)}, expected ${describeSnapshot(expected)}`);
    },
  },
  {
    id: 'STATE-007',
    sentence: 'restore accepts its bytes as a plain Uint8Array and as a view at an offset into a larger buffer, as stores return them',
    requires: ['restore'],
    async run({ plugin, fresh, change }) {
      await change(plugin);
      const expected = copyOf(await mustSnapshot(plugin, 'snapshot'));
      const backing = new ArrayBuffer(expected.bytes.length + 16);
      new Uint8Array(backing).fill(0xee);
      const view = new Uint8Array(backing, 7, expected.bytes.length);
      view.set(expected.bytes);
      for (const [label, bytes] of [['a plain Uint8Array', new Uint8Array(expected.bytes)], ['an offset view', view]] as const) {
        const target = await fresh();
        try {
          await restoreInto(target, { ...expected, bytes });
        } catch (error) {
          throw new Error(`restore from ${label} threw: ${error instanceof Error ? error.message : String(error)}`);
        }
        const after = await mustSnapshot(target, `after restoring ${label}`);
        check(sameState(after, expected), `after restoring ${label} the plugin snapshots ${describeSnapshot(after)}, expected ${describeSnapshot(expected)}`);
      }
    },
  },
  {
    id: 'STATE-008',
    sentence: 'restore keeps no reference to the bytes it was given: overwriting them afterwards does not change the state',
    requires: ['restore'],
    async run({ plugin, fresh, change }) {
      await change(plugin);
      const saved = await mustSnapshot(plugin, 'snapshot');
      const expected = copyOf(saved);
      const given = detachedCopy(saved.bytes);
      const target = await fresh();
      await restoreInto(target, { ...saved, bytes: given });
      given.fill(0x5a);
      const after = await mustSnapshot(target, 'after overwriting the restored bytes');
      check(sameState(after, expected), `overwriting the bytes after restore changed the state to ${describeSnapshot(after)}, expected ${describeSnapshot(expected)}`);
    },
  },
];
