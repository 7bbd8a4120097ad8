import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';

/** Longest id a store accepts, in UTF-16 code units. */
const MAX_SNAPSHOT_ID_LENGTH = 255;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Stores accept any well-formed, non-empty string of at most 255 characters as an id —
 * wider than the registry's pattern, so hosts with their own id schemes can use them.
 * Lone surrogates are refused because they have no UTF-8 form and would not round-trip.
 */
export function assertSnapshotId(id: unknown, where: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_SNAPSHOT_ID_LENGTH || LONE_SURROGATE.test(id)) {
    throw new InvalidArgumentError(
      `${where}: snapshot id must be a non-empty, well-formed string of at most ${MAX_SNAPSHOT_ID_LENGTH} characters, got ${describeValue(id)}`,
    );
  }
}
