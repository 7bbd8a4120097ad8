import type { StatefulPlugin, StatefulSnapshot } from '@belfry/plugin-api';
import { check } from '../core/check.js';

/** Takes a snapshot and fails the rule, naming `step`, unless it has the contract's shape. */
export async function mustSnapshot(plugin: StatefulPlugin, step: string): Promise<StatefulSnapshot> {
  const snapshot = await plugin.snapshot();
  check(typeof snapshot === 'object' && snapshot !== null, `${step}: snapshot() returned ${String(snapshot)}, not { id, version, bytes }`);
  check(snapshot.bytes instanceof Uint8Array, `${step}: snapshot() returned bytes that are not a Uint8Array`);
  return snapshot;
}

/** A deep copy of a snapshot, its bytes in a plain Uint8Array of their own. */
export function copyOf(snapshot: StatefulSnapshot): StatefulSnapshot {
  return { id: snapshot.id, version: snapshot.version, bytes: new Uint8Array(snapshot.bytes) };
}

/** True when two snapshots carry the same version and bytes. */
export function sameState(a: StatefulSnapshot, b: StatefulSnapshot): boolean {
  return a.version === b.version && a.bytes.length === b.bytes.length && a.bytes.every((byte, i) => byte === b.bytes[i]);
}

/** Short description of a snapshot for failure reasons. */
export function describeSnapshot(s: StatefulSnapshot): string {
  const head = Array.from(s.bytes.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `version ${s.version}, ${s.bytes.length} bytes [${head}${s.bytes.length > 12 ? ' …' : ''}]`;
}

/** Restores `snapshot` into `plugin`, failing the rule if the plugin has no restoreSnapshot. */
export async function restoreInto(plugin: StatefulPlugin, snapshot: StatefulSnapshot): Promise<void> {
  check(typeof plugin.restoreSnapshot === 'function', 'the plugin claims "restore" but has no restoreSnapshot method');
  await plugin.restoreSnapshot(snapshot);
}

/**
 * A copy of `bytes` of the same kind (a Buffer stays a Buffer): TypedArray
 * `slice` allocates through the species constructor, unlike `Buffer#slice`.
 */
export function detachedCopy(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes);
}
