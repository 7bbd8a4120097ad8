import type { Rule } from '../../core/rule.js';
import { check } from '../../core/check.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { mustLoad } from '../store-steps.js';

const FIVE_MB = 5 * 1024 * 1024;

/** Bytes no encoding or text conversion leaves alone: every value, NULs, invalid UTF-8, CR/LF. */
function awkwardBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = i < 256 ? i : x & 0xff;
  }
  return bytes;
}

export const payloadRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-008',
    sentence: 'payloads are binary-safe: every byte value, an empty payload and a 5 MB payload load back unchanged',
    async run({ store }) {
      const cases = [
        { id: 'all-bytes', version: 1, bytes: awkwardBytes(256) },
        { id: 'empty', version: 1, bytes: new Uint8Array(0) },
        { id: 'large', version: 7, bytes: awkwardBytes(FIVE_MB) },
        { id: 'text-like', version: 1, bytes: new Uint8Array([0xef, 0xbb, 0xbf, 0x0d, 0x0a, 0x00, 0xc3, 0x28, 0x0a]) },
      ];
      for (const snapshot of cases) await store.save(snapshot);
      for (const snapshot of cases) await mustLoad(store, snapshot, `${snapshot.bytes.length}-byte payload`);
    },
  },
  {
    id: 'STORE-009',
    sentence: 'the store keeps its own copy: writing into the array given to save, or into one load returned, changes nothing stored',
    async run({ store }) {
      const original = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const given = { id: 'copy', version: 1, bytes: original.slice() };
      await store.save(given);
      given.bytes.fill(0);
      await mustLoad(store, { id: 'copy', version: 1, bytes: original }, 'after writing into the saved array');
      const loaded = await store.load('copy');
      check(loaded !== null, 'load("copy") resolved null');
      loaded.bytes.fill(9);
      await mustLoad(store, { id: 'copy', version: 1, bytes: original }, 'after writing into a loaded array');
    },
  },
  {
    id: 'STORE-010',
    sentence: 'versions 1 and 4294967295 round trip exactly',
    async run({ store }) {
      for (const version of [1, 65_536, 4_294_967_295]) {
        const snapshot = { id: `v${version}`, version, bytes: new Uint8Array([version & 0xff]) };
        await store.save(snapshot);
        await mustLoad(store, snapshot, `version ${version}`);
      }
    },
  },
];
