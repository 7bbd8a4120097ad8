import { assertName } from '@belfry/internal';
import packageJson from '../package.json' with { type: 'json' };

/** The version of @belfry/host (read from its package.json at build time): what a node reports unless the application gives its own. */
export const HOST_VERSION: string = packageJson.version;

/** The version a node reports: `version` when given (1–256 characters, no control characters), else {@link HOST_VERSION}. */
export function nodeVersion(version: unknown): string {
  if (version === undefined) return HOST_VERSION;
  assertName(version, 'options.version', 'BelfryHost.start');
  return version;
}
