import { InvalidArgumentError, type StatefulSnapshot } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';
import { assertSnapshotId } from './assert-snapshot-id.js';

/** Largest snapshot version a store accepts: the envelope keeps it in 32 bits. */
export const MAX_SNAPSHOT_VERSION = 0xffff_ffff;

/**
 * Throws `invalid_argument` unless `snapshot` is a well-formed StatefulSnapshot:
 * a valid id, a version that is an integer from 1 to 4294967295, and bytes in a Uint8Array.
 */
export function assertSnapshot(snapshot: unknown, where: string): asserts snapshot is StatefulSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null) {
    throw new InvalidArgumentError(`${where}: snapshot must be an object { id, version, bytes }, got ${describeValue(snapshot)}`);
  }
  const { id, version, bytes } = snapshot as Record<string, unknown>;
  assertSnapshotId(id, where);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_SNAPSHOT_VERSION) {
    throw new InvalidArgumentError(
      `${where}: snapshot ${JSON.stringify(id)} version must be an integer from 1 to ${MAX_SNAPSHOT_VERSION}, got ${describeValue(version)}`,
    );
  }
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${where}: snapshot ${JSON.stringify(id)} bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  }
}
