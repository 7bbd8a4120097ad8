import type { StatefulSnapshot } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf, rejectionOf } from '../../core/check.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { mustList } from '../store-steps.js';

/** A bad value and the text its error message must contain. */
type BadValue = [value: unknown, shownAs: string];

async function expectInvalid(call: () => Promise<unknown>, shownAs: string, what: string): Promise<void> {
  const error = await rejectionOf(Promise.resolve().then(call), `${what} resolved instead of rejecting with invalid_argument`);
  check(codeOf(error) === 'invalid_argument', `${what} rejected with ${codeOf(error) ?? String(error)} instead of invalid_argument`);
  const message = error instanceof Error ? error.message : '';
  check(message.includes(shownAs), `${what}: the message ${JSON.stringify(message)} does not name the bad value ${shownAs}`);
}

const good = { id: 'ok', version: 1, bytes: new Uint8Array([1]) };

const badSnapshots: BadValue[] = [
  [null, 'null'],
  [{ ...good, id: '' }, '""'],
  [{ ...good, id: 42 }, '42'],
  [{ ...good, version: 0 }, '0'],
  [{ ...good, version: -1 }, '-1'],
  [{ ...good, version: 1.5 }, '1.5'],
  [{ ...good, version: '1' }, '"1"'],
  [{ ...good, bytes: [1, 2] }, 'array'],
  [{ ...good, bytes: 'AQ==' }, '"AQ=="'],
];

const badIds: BadValue[] = [
  ['', '""'],
  [42, '42'],
  [null, 'null'],
];

export const argumentRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-012',
    sentence: 'bad arguments (a missing or empty id, a version that is not a positive integer, bytes that are not a Uint8Array) reject with invalid_argument naming the value and store nothing',
    async run({ store }) {
      for (const [snapshot, shownAs] of badSnapshots) {
        await expectInvalid(() => store.save(snapshot as StatefulSnapshot), shownAs, `save(snapshot with ${shownAs})`);
      }
      for (const [id, shownAs] of badIds) {
        await expectInvalid(() => store.load(id as string), shownAs, `load(${shownAs})`);
        await expectInvalid(() => store.delete(id as string), shownAs, `delete(${shownAs})`);
      }
      await mustList(store, [], 'after the rejected saves');
    },
  },
];
