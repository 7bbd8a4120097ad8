import type { StatefulSnapshot } from '@belfry/plugin-api';
import { check } from '../core/check.js';
import type { SnapshotStoreLike } from './snapshot-store-conformance.js';

/** A snapshot whose bytes are `length` copies of `fill`. */
export function filled(id: string, version: number, length: number, fill: number): StatefulSnapshot {
  return { id, version, bytes: new Uint8Array(length).fill(fill) };
}

/** First index where two byte arrays differ, or -1 when they are equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i += 1) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : shorter;
}

/** Loads `expected.id` and fails the rule unless it matches `expected` exactly. */
export async function mustLoad(store: SnapshotStoreLike, expected: StatefulSnapshot, step: string): Promise<StatefulSnapshot> {
  const loaded = await store.load(expected.id);
  const name = JSON.stringify(expected.id);
  check(loaded !== null && loaded !== undefined, `${step}: load(${name}) resolved ${String(loaded)} instead of the saved snapshot`);
  check(loaded.id === expected.id, `${step}: load(${name}) returned id ${JSON.stringify(loaded.id)}`);
  check(loaded.version === expected.version, `${step}: load(${name}) returned version ${loaded.version}, saved ${expected.version}`);
  check(loaded.bytes instanceof Uint8Array, `${step}: load(${name}) returned bytes that are not a Uint8Array`);
  const at = firstDifference(loaded.bytes, expected.bytes);
  check(
    at === -1,
    `${step}: load(${name}) returned ${loaded.bytes.length} bytes differing from the ${expected.bytes.length} saved at index ${at}`,
  );
  return loaded;
}

/** Fails the rule unless `id` loads as null. */
export async function mustBeAbsent(store: SnapshotStoreLike, id: string, step: string): Promise<void> {
  const loaded = await store.load(id);
  check(loaded === null, `${step}: load(${JSON.stringify(id)}) resolved ${loaded === undefined ? 'undefined' : 'a snapshot'} instead of null`);
}

/** Fails the rule unless list() holds exactly `ids`, each once, in any order. */
export async function mustList(store: SnapshotStoreLike, ids: string[], step: string): Promise<void> {
  const listed = await store.list();
  check(Array.isArray(listed), `${step}: list() resolved ${typeof listed}, not an array`);
  const got = [...listed].sort();
  const want = [...ids].sort();
  check(
    got.length === want.length && got.every((id, i) => id === want[i]),
    `${step}: list() resolved ${JSON.stringify(got).slice(0, 300)}, expected ${JSON.stringify(want).slice(0, 300)}`,
  );
}
