import type { StatefulSnapshot } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf, rejectionOf } from '../../core/check.js';
import type { FencedSnapshotStoreLike } from '../snapshot-store-conformance.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { filled, mustLoad } from '../store-steps.js';

/** Loads `expected.id` with its fence and fails the rule unless both match. */
async function mustLoadFenced(store: FencedSnapshotStoreLike, expected: StatefulSnapshot, fence: number, step: string): Promise<void> {
  const loaded = await store.loadFenced(expected.id);
  const name = JSON.stringify(expected.id);
  check(loaded !== null && typeof loaded === 'object', `${step}: loadFenced(${name}) resolved ${String(loaded)} instead of { snapshot, fence }`);
  check(loaded.fence === fence, `${step}: loadFenced(${name}) reported fence ${String(loaded.fence)}, expected ${fence}`);
  check(
    loaded.snapshot?.id === expected.id && loaded.snapshot.version === expected.version && sameBytes(loaded.snapshot.bytes, expected.bytes),
    `${step}: loadFenced(${name}) returned a snapshot other than the one saved with fence ${fence}`,
  );
  await mustLoad(store, expected, `${step} (plain load)`);
}

function sameBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function mustSave(store: FencedSnapshotStoreLike, snapshot: StatefulSnapshot, fence: number, want: 'saved' | 'stale', step: string): Promise<void> {
  const result = await store.saveFenced(snapshot, fence);
  check(result === want, `${step}: saveFenced(…, ${fence}) resolved ${JSON.stringify(result)}, expected ${JSON.stringify(want)}`);
}

/** Fences a careless store might accept: negative, fractional, beyond safe integers, not numbers. */
const badFences: [value: unknown, shownAs: string][] = [
  [-1, '-1'],
  [1.5, '1.5'],
  [2 ** 53, String(2 ** 53)],
  ['7', '"7"'],
  [null, 'null'],
  [Number.NaN, 'NaN'],
];

/** Fenced saves: concurrent writers ordered by fence, never by arrival or wall clock (`fenced`). */
export const fenceRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-014',
    sentence: 'a fenced save loads back with its fence through loadFenced and as the same snapshot through load, and a plain save reports fence 0 (`fenced`)',
    requires: ['fenced'],
    async run({ fenced }) {
      await mustSave(fenced, filled('state', 2, 40, 5), 7, 'saved', 'first fenced save');
      await mustLoadFenced(fenced, filled('state', 2, 40, 5), 7, 'after a fenced save');
      await fenced.save(filled('plain', 1, 8, 6));
      await mustLoadFenced(fenced, filled('plain', 1, 8, 6), 0, 'after a plain save');
      const absent = await fenced.loadFenced('never-saved');
      check(absent === null, `loadFenced("never-saved") resolved ${String(absent)} instead of null`);
    },
  },
  {
    id: 'STORE-015',
    sentence: 'a fenced save whose fence is below the stored one resolves "stale" and changes nothing, however new its bytes (`fenced`)',
    requires: ['fenced'],
    async run({ fenced }) {
      await mustSave(fenced, filled('state', 1, 32, 9), 9, 'saved', 'save with fence 9');
      await mustSave(fenced, filled('state', 3, 64, 8), 8, 'stale', 'save with fence 8 after 9');
      await mustSave(fenced, filled('state', 3, 64, 0), 0, 'stale', 'save with fence 0 after 9');
      await mustLoadFenced(fenced, filled('state', 1, 32, 9), 9, 'after the refused saves');
    },
  },
  {
    id: 'STORE-016',
    sentence: 'a fenced save with the same or a higher fence replaces the snapshot and its fence (`fenced`)',
    requires: ['fenced'],
    async run({ fenced }) {
      await mustSave(fenced, filled('state', 1, 10, 1), 4, 'saved', 'save with fence 4');
      await mustSave(fenced, filled('state', 1, 12, 2), 4, 'saved', 'save again with fence 4');
      await mustLoadFenced(fenced, filled('state', 1, 12, 2), 4, 'after the equal-fence save');
      await mustSave(fenced, filled('state', 2, 3, 3), 5, 'saved', 'save with fence 5');
      await mustLoadFenced(fenced, filled('state', 2, 3, 3), 5, 'after the higher-fence save');
      await fenced.save(filled('plain', 1, 4, 4));
      await mustSave(fenced, filled('plain', 2, 4, 5), 1, 'saved', 'fenced save over a plain one');
    },
  },
  {
    id: 'STORE-017',
    sentence: "concurrent fenced saves of one id with different fences leave the highest fence's snapshot, whole, and a lower fence saved after them is refused (`fenced`)",
    requires: ['fenced'],
    async run({ fenced }) {
      const fences = [3, 9, 1, 7, 5, 8, 2, 6, 4];
      const results = await Promise.all(fences.map((fence) => fenced.saveFenced(filled('contended', fence, fence * 8 * 1024, fence), fence)));
      check(results[fences.indexOf(9)] === 'saved', `the save with the highest fence resolved ${JSON.stringify(results[fences.indexOf(9)])}, not "saved"`);
      check(results.every((result) => result === 'saved' || result === 'stale'), `saves resolved ${JSON.stringify(results)}; each must be "saved" or "stale"`);
      await mustLoadFenced(fenced, filled('contended', 9, 9 * 8 * 1024, 9), 9, 'after the concurrent saves');
      await mustSave(fenced, filled('contended', 1, 1, 1), 8, 'stale', 'a later save with fence 8');
    },
  },
  {
    id: 'STORE-018',
    sentence: 'delete forgets the fence with the snapshot: after it any fence saves, and loadFenced resolves null (`fenced`)',
    requires: ['fenced'],
    async run({ fenced }) {
      await mustSave(fenced, filled('state', 1, 5, 1), 50, 'saved', 'save with fence 50');
      await fenced.delete('state');
      const gone = await fenced.loadFenced('state');
      check(gone === null, `after delete loadFenced("state") resolved ${String(gone)} instead of null`);
      await mustSave(fenced, filled('state', 1, 5, 2), 3, 'saved', 'save with fence 3 after the delete');
      await mustLoadFenced(fenced, filled('state', 1, 5, 2), 3, 'after the delete and a new save');
    },
  },
  {
    id: 'STORE-019',
    sentence: 'fences that are not non-negative safe integers, and bad snapshots or ids, reject with invalid_argument naming the value and store nothing (`fenced`)',
    requires: ['fenced'],
    async run({ fenced }) {
      for (const [fence, shownAs] of badFences) {
        const error = await rejectionOf(Promise.resolve().then(() => fenced.saveFenced(filled('state', 1, 1, 1), fence as number)), `saveFenced(…, ${shownAs}) resolved`);
        check(codeOf(error) === 'invalid_argument', `saveFenced(…, ${shownAs}) rejected with ${codeOf(error) ?? String(error)} instead of invalid_argument`);
        check(error instanceof Error && error.message.includes(shownAs), `saveFenced(…, ${shownAs}): the message does not name the bad fence ${shownAs}`);
      }
      const badCalls: [call: () => Promise<unknown>, what: string][] = [
        [() => fenced.saveFenced({ id: '', version: 1, bytes: new Uint8Array(1) }, 1), 'saveFenced with id ""'],
        [() => fenced.saveFenced({ id: 'state', version: 0, bytes: new Uint8Array(1) }, 1), 'saveFenced with version 0'],
        [() => fenced.loadFenced(''), 'loadFenced("")'],
      ];
      for (const [call, what] of badCalls) {
        const error = await rejectionOf(Promise.resolve().then(call), `${what} resolved`);
        check(codeOf(error) === 'invalid_argument', `${what} rejected with ${codeOf(error) ?? String(error)} instead of invalid_argument`);
      }
      const listed = await fenced.list();
      check(Array.isArray(listed) && listed.length === 0, `after the rejected saves list() resolved ${JSON.stringify(listed)}`);
    },
  },
  {
    id: 'STORE-020',
    sentence: 'a new instance over the same storage loads the fence a previous one saved and still refuses a lower one (`persistent`, `fenced`)',
    requires: ['persistent', 'fenced'],
    async run({ fenced, reopenFenced }) {
      await mustSave(fenced, filled('state', 4, 20, 4), 12, 'saved', 'save with fence 12');
      const again = await reopenFenced();
      await mustLoadFenced(again, filled('state', 4, 20, 4), 12, 'after reopening');
      await mustSave(again, filled('state', 5, 20, 5), 11, 'stale', 'save with fence 11 after reopening');
    },
  },
];
