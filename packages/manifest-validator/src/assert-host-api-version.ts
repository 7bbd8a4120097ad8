import { InvalidArgumentError, PLUGIN_API_VERSION } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import semver from 'semver';

/** Checks a `hostApiVersion` option and fills in the default, this package's PLUGIN_API_VERSION. */
export function assertHostApiVersion(value: unknown, where: string): string {
  if (value === undefined) return PLUGIN_API_VERSION;
  if (typeof value !== 'string' || semver.valid(value) === null) {
    throw new InvalidArgumentError(`${where}: hostApiVersion must be a semver version such as "1.0.0" (got ${describeValue(value)})`);
  }
  return value;
}
