import { InvalidArgumentError, type Clock, type Logger } from '@belfry/plugin-api';
import { assertObject, assertOnlyKeys } from './assert-name.js';
import { describeValue } from './describe-value.js';

/**
 * Checks the options object of an in-memory store: an object (or undefined)
 * with only `known` keys, whose `clock` has `now` and `setTimer` and whose
 * `logger` has `warn` when they are given.
 */
export function assertStoreOptions(options: unknown, known: readonly string[], where: string): asserts options is { clock?: Clock; logger?: Logger } | undefined {
  if (options === undefined) return;
  assertObject(options, 'options', where);
  assertOnlyKeys(options, known, 'options', where);
  const { clock, logger } = options as { clock?: unknown; logger?: unknown };
  if (clock !== undefined && (typeof (clock as Clock | null)?.now !== 'function' || typeof (clock as Clock).setTimer !== 'function')) {
    throw new InvalidArgumentError(`${where}: options.clock must be a Clock with now() and setTimer(), got ${describeValue(clock)}`);
  }
  if (logger !== undefined && typeof (logger as Logger | null)?.warn !== 'function') {
    throw new InvalidArgumentError(`${where}: options.logger must be a Logger with warn(), got ${describeValue(logger)}`);
  }
}
