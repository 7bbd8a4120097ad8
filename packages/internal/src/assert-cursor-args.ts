import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';
import { jsonProblem } from './json-problem.js';

/** A job id as the host's settings allow it: also safe as a file name. */
const JOB_ID = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

/** Throws InvalidArgumentError unless `jobId` is a valid poller job id. */
export function assertJobId(jobId: unknown, where: string): asserts jobId is string {
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
    throw new InvalidArgumentError(`${where}: job id must match ^[a-z0-9][a-z0-9_.-]{0,127}$ (the [[pollers]] id), got ${describeValue(jobId)}`);
  }
}

/** Throws InvalidArgumentError unless `fence` is a non-negative safe integer. */
export function assertFence(fence: unknown, where: string): asserts fence is number {
  if (typeof fence !== 'number' || !Number.isSafeInteger(fence) || fence < 0) {
    throw new InvalidArgumentError(`${where}: fence must be a non-negative integer (the run's fencing token, 0 without one), got ${describeValue(fence)}`);
  }
}

/** Throws InvalidArgumentError unless `cursor` is plain JSON. */
export function assertCursor(cursor: unknown, where: string): void {
  const problem = cursor === undefined ? 'cursor is undefined; use null for no cursor' : jsonProblem(cursor, 'cursor');
  if (problem !== null) throw new InvalidArgumentError(`${where}: ${problem}`);
}
