import { CONTROL_TARGET_KINDS, InvalidArgumentError, type ControlTarget, type PauseOptions } from '@belfry/plugin-api';
import { assertName, assertObject, assertOnlyKeys } from './assert-name.js';
import { assertJobId } from './assert-cursor-args.js';
import { assertOneOf } from './assert-run-record.js';
import { describeValue } from './describe-value.js';

/** Longest pause reason. */
export const MAX_PAUSE_REASON_LENGTH = 1024;

/** Throws InvalidArgumentError unless `target` is a valid ControlTarget; the message names the field. */
export function assertControlTarget(target: unknown, where: string): asserts target is ControlTarget {
  assertObject(target, 'target', where);
  assertOneOf(target.kind, CONTROL_TARGET_KINDS, 'target.kind', where);
  if (target.kind === 'schedule') {
    assertOnlyKeys(target, ['kind', 'plugin', 'scheduleId'], 'target', where);
    assertName(target.plugin, 'target.plugin', where);
    assertName(target.scheduleId, 'target.scheduleId', where);
  } else {
    assertOnlyKeys(target, ['kind', 'jobId'], 'target', where);
    assertJobId(target.jobId, `${where}: target.jobId`);
  }
}

/** Throws InvalidArgumentError unless `options` is undefined or valid PauseOptions. */
export function assertPauseOptions(options: unknown, where: string): asserts options is PauseOptions | undefined {
  if (options === undefined) return;
  assertObject(options, 'options', where);
  assertOnlyKeys(options, ['by', 'reason'], 'options', where);
  if (options.by !== undefined) assertName(options.by, 'options.by', where);
  if (options.reason !== undefined && (typeof options.reason !== 'string' || options.reason.length > MAX_PAUSE_REASON_LENGTH)) {
    throw new InvalidArgumentError(`${where}: options.reason must be a string of at most ${MAX_PAUSE_REASON_LENGTH} characters, got ${describeValue(options.reason)}`);
  }
}

/** Throws InvalidArgumentError unless `listener` is a function. */
export function assertControlListener(listener: unknown, where: string): asserts listener is (...args: never[]) => unknown {
  if (typeof listener !== 'function') throw new InvalidArgumentError(`${where}: listener must be a function, got ${describeValue(listener)}`);
}

/**
 * A string that names `target` and only it, usable as a hash field or
 * primary key: `schedule:["plugin","id"]` or `poller_job:<job id>`.
 */
export function controlTargetKey(target: ControlTarget): string {
  return target.kind === 'schedule' ? `schedule:${JSON.stringify([target.plugin, target.scheduleId])}` : `poller_job:${target.jobId}`;
}

/** The order `Control.paused()` lists targets in: kind, then plugin and schedule id, or job id. */
export function compareControlTargets(a: ControlTarget, b: ControlTarget): number {
  const left = a.kind === 'schedule' ? [a.kind, a.plugin, a.scheduleId] : [a.kind, a.jobId];
  const right = b.kind === 'schedule' ? [b.kind, b.plugin, b.scheduleId] : [b.kind, b.jobId];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return left[index]! < right[index]! ? -1 : 1;
  }
  return left.length - right.length;
}
