import { assertName } from '@belfry/internal';

/** The version of @belfry/host: what a node reports unless the application gives its own. A test keeps it equal to package.json. */
export const HOST_VERSION = '0.1.0';

/** The version a node reports: `version` when given (1–256 characters, no control characters), else {@link HOST_VERSION}. */
export function nodeVersion(version: unknown): string {
  if (version === undefined) return HOST_VERSION;
  assertName(version, 'options.version', 'BelfryHost.start');
  return version;
}
