import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';

/**
 * What a registered stateful plugin id looks like: 1 to 128 characters, lower-case
 * letters, digits, `_`, `.` and `-`, starting with a letter or digit. Such ids are
 * stable across platforms and map to file names unchanged.
 */
export const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

/** Throws `invalid_argument` unless `id` matches {@link PLUGIN_ID_PATTERN}; `where` names the caller. */
export function assertPluginId(id: unknown, where: string): asserts id is string {
  if (typeof id !== 'string' || !PLUGIN_ID_PATTERN.test(id)) {
    throw new InvalidArgumentError(
      `${where}: plugin id must match ${PLUGIN_ID_PATTERN.source} (1-128 of a-z 0-9 _ . -, starting with a letter or digit), got ${describeValue(id)}`,
    );
  }
}
