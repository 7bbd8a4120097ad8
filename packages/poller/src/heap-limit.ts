import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';

/** Below this V8 spends its time collecting garbage before any poller code runs. */
export const MIN_OLD_SPACE_MB = 16;
/** 1 TiB: anything larger is a typo (bytes or KiB given as MiB). */
export const MAX_OLD_SPACE_MB = 1024 * 1024;

const NODE_ENTRY = /\.(?:js|mjs|cjs)$/i;

/** True when the entry runs with the host's Node (and so can be given a heap limit). */
export function isNodeEntry(entryPath: string): boolean {
  return NODE_ENTRY.test(entryPath);
}

/**
 * Throws InvalidArgumentError saying where unless `value` is a heap limit in
 * MiB for a Node entry. Only Node reads `--max-old-space-size`, so a limit on
 * any other entry is refused rather than silently ignored.
 */
export function assertMaxOldSpaceMb(value: unknown, entryPath: string, where: string): asserts value is number | undefined {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < MIN_OLD_SPACE_MB || (value as number) > MAX_OLD_SPACE_MB) {
    throw new InvalidArgumentError(`${where} must be an integer number of MiB from ${MIN_OLD_SPACE_MB} to ${MAX_OLD_SPACE_MB}, got ${describeValue(value)}`);
  }
  if (!isNodeEntry(entryPath)) {
    throw new InvalidArgumentError(`${where} is a Node heap limit (--max-old-space-size), but entry ${entryPath} is not a .js/.mjs/.cjs file run with Node; remove it or limit the process some other way`);
  }
}
