import type { Rule } from '../../core/rule.js';
import { check } from '../../core/check.js';
import type { StatefulContext } from '../stateful-context.js';
import { copyOf, describeSnapshot, mustSnapshot, sameState } from '../stateful-steps.js';

const MAX_VERSION = 0xffff_ffff;

export const snapshotRules: Rule<StatefulContext>[] = [
  {
    id: 'STATE-001',
    sentence: 'snapshot resolves { id, version, bytes } with id equal to the plugin id, version an integer from 1 to 4294967295 and bytes a Uint8Array',
    async run({ plugin, change }) {
      for (const step of ['default state', 'after a change']) {
        if (step !== 'default state') await change(plugin);
        const snapshot = await mustSnapshot(plugin, step);
        check(snapshot.id === plugin.id, `${step}: snapshot id ${JSON.stringify(snapshot.id)} differs from the plugin id ${JSON.stringify(plugin.id)}`);
        check(
          Number.isInteger(snapshot.version) && snapshot.version >= 1 && snapshot.version <= MAX_VERSION,
          `${step}: snapshot version ${String(snapshot.version)} is not an integer from 1 to ${MAX_VERSION}`,
        );
      }
    },
  },
  {
    id: 'STATE-002',
    sentence: 'snapshot is side-effect free: repeated snapshots with no change in between return the same version and bytes',
    async run({ plugin, change }) {
      await change(plugin);
      const first = copyOf(await mustSnapshot(plugin, 'first snapshot'));
      for (let i = 2; i <= 4; i += 1) {
        const again = await mustSnapshot(plugin, `snapshot ${i}`);
        check(sameState(first, again), `snapshot ${i} (${describeSnapshot(again)}) differs from the first (${describeSnapshot(first)}): snapshot() changed the state`);
      }
    },
  },
  {
    id: 'STATE-003',
    sentence: 'snapshot bytes are detached from live state: writing into them does not change the plugin, and changing the plugin does not change them',
    async run({ plugin, change }) {
      await change(plugin);
      const taken = await mustSnapshot(plugin, 'snapshot');
      const expected = copyOf(taken);
      taken.bytes.fill(0xa5);
      const next = await mustSnapshot(plugin, 'after writing into the returned bytes');
      check(sameState(expected, next), `after writing into the returned bytes the next snapshot is ${describeSnapshot(next)}, was ${describeSnapshot(expected)}`);
      const kept = copyOf(next);
      await change(plugin);
      check(sameState(kept, next), `changing the plugin altered bytes it had already returned (now ${describeSnapshot(next)}, were ${describeSnapshot(kept)})`);
    },
  },
];
