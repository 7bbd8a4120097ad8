import { hostname } from 'node:os';
import { InvalidArgumentError, systemClock, type Clock, type LockingPlugin, type Logger } from '@belfry/plugin-api';
import { consoleLogger, describeValue, parseLogLevel, resolveLogLevel } from '@belfry/internal';
import { integerOption } from './integer-option.js';
import type { SchedulerOptions } from './scheduler-types.js';

/** `SchedulerOptions` checked, with every default applied. */
export interface ResolvedSchedulerOptions {
  clock: Clock;
  logger: Logger;
  locking: LockingPlugin | undefined;
  nodeId: string;
  stateId: string;
  skewToleranceMs: number;
  lockTtlMs: number;
  graceMs: number;
  maxCatchupRuns: number;
  catchupSpreadMs: number;
  maxTimerDelayMs: number;
}

/** Checks the options of `new Scheduler(...)`, naming the option at fault, and applies the defaults. */
export function resolveSchedulerOptions(options: SchedulerOptions): ResolvedSchedulerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`Scheduler options must be an object (got ${describeValue(options)})`);
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') {
    throw new InvalidArgumentError('Scheduler option "clock" must have now() and setTimer()');
  }
  const logLevel = options.logLevel === undefined ? undefined : parseLogLevel(options.logLevel, 'Scheduler option "logLevel"');
  // Info and above by default: a lost lock race logs a debug line on every node, every firing.
  const logger = options.logger ?? consoleLogger(resolveLogLevel(logLevel));
  if (typeof logger?.warn !== 'function' || typeof logger.error !== 'function' || typeof logger.info !== 'function') {
    throw new InvalidArgumentError('Scheduler option "logger" must have info(), warn() and error()');
  }
  const locking = options.locking;
  if (
    locking !== undefined &&
    (typeof locking?.tryLock !== 'function' || typeof locking.renew !== 'function' || typeof locking.release !== 'function')
  ) {
    throw new InvalidArgumentError('Scheduler option "locking" must be a LockingPlugin (tryLock, renew, release)');
  }
  const nodeId = options.nodeId ?? `${hostname()}:${process.pid}`;
  if (typeof nodeId !== 'string' || nodeId.length === 0) {
    throw new InvalidArgumentError(`Scheduler option "nodeId" must be a non-empty string (got ${describeValue(nodeId)})`);
  }
  const stateId = options.stateId ?? 'belfry.scheduler';
  if (typeof stateId !== 'string' || stateId.length === 0) {
    throw new InvalidArgumentError(`Scheduler option "stateId" must be a non-empty string (got ${describeValue(stateId)})`);
  }
  return {
    clock,
    logger,
    locking,
    nodeId,
    stateId,
    skewToleranceMs: integerOption(options.skewToleranceMs, 'skewToleranceMs', 5_000, { min: 0 }),
    lockTtlMs: integerOption(options.lockTtlMs, 'lockTtlMs', 30_000, { min: 1 }),
    graceMs: integerOption(options.missedRunGraceMs, 'missedRunGraceMs', 60_000, { min: 0 }),
    maxCatchupRuns: integerOption(options.maxCatchupRuns, 'maxCatchupRuns', 100, { min: 1 }),
    catchupSpreadMs: integerOption(options.catchupSpreadMs, 'catchupSpreadMs', 10_000, { min: 0 }),
    maxTimerDelayMs: integerOption(options.maxTimerDelayMs, 'maxTimerDelayMs', 30_000, { min: 1 }),
  };
}
