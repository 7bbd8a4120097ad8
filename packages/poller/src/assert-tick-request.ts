import { InvalidArgumentError } from '@belfry/plugin-api';
import { assertFence, assertJobId, describeValue, jsonProblem } from '@belfry/internal';
import { MAX_OLD_SPACE_MB, MIN_OLD_SPACE_MB } from './heap-limit.js';
import type { TickRequest } from './tick-request.js';

/** Throws InvalidArgumentError naming the field unless `request` is a valid TickRequest. */
export function assertTickRequest(request: unknown): asserts request is TickRequest {
  const where = 'PollerRuntime.runTick';
  if (typeof request !== 'object' || request === null) {
    throw new InvalidArgumentError(`${where}: request must be an object { job, kind, scheduledAt, … }, got ${describeValue(request)}`);
  }
  const { job, kind, scheduledAt, isCatchup, fence, config, signal, maxOldSpaceSizeMb } = request as Record<string, unknown>;
  assertJobId(job, where);
  if (typeof kind !== 'string' || kind === '') throw new InvalidArgumentError(`${where}: kind must be a non-empty string, got ${describeValue(kind)}`);
  if (typeof scheduledAt !== 'number' || !Number.isSafeInteger(scheduledAt)) {
    throw new InvalidArgumentError(`${where}: scheduledAt must be an integer (ms since the epoch), got ${describeValue(scheduledAt)}`);
  }
  if (isCatchup !== undefined && typeof isCatchup !== 'boolean') throw new InvalidArgumentError(`${where}: isCatchup must be a boolean, got ${describeValue(isCatchup)}`);
  if (fence !== undefined) assertFence(fence, where);
  const problem = config === undefined ? null : jsonProblem(config, 'config');
  if (problem !== null) throw new InvalidArgumentError(`${where}: ${problem}`);
  if (maxOldSpaceSizeMb !== undefined && (!Number.isInteger(maxOldSpaceSizeMb) || (maxOldSpaceSizeMb as number) < MIN_OLD_SPACE_MB || (maxOldSpaceSizeMb as number) > MAX_OLD_SPACE_MB)) {
    throw new InvalidArgumentError(`${where}: maxOldSpaceSizeMb must be an integer number of MiB from ${MIN_OLD_SPACE_MB} to ${MAX_OLD_SPACE_MB}, got ${describeValue(maxOldSpaceSizeMb)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidArgumentError(`${where}: signal must be an AbortSignal, got ${describeValue(signal)}`);
}
