import { describe, expect, it } from 'vitest';
import {
  BelfryError,
  InvalidArgumentError,
  isBelfryError,
  LockBackendError,
  LockLostError,
  RestoreFailedError,
  ScheduleParseError,
  SnapshotFailedError,
  UnsupportedVersionError,
  RunTimeoutError,
  SchedulerStoppedError,
} from '../src/index.js';

describe('error classes', () => {
  it.each([
    [new InvalidArgumentError('bad'), 'invalid_argument', 'InvalidArgumentError'],
    [new LockBackendError('down'), 'lock_backend', 'LockBackendError'],
    [new LockLostError('job'), 'lock_lost', 'LockLostError'],
    [new ScheduleParseError('* *', 'expected 5 or 6 fields'), 'schedule_parse', 'ScheduleParseError'],
    [new SnapshotFailedError('counter', 'boom'), 'snapshot_failed', 'SnapshotFailedError'],
    [new RestoreFailedError('counter', 'boom'), 'restore_failed', 'RestoreFailedError'],
    [new UnsupportedVersionError({ plugin: 'counter', version: 3, expected: [1, 2] }), 'unsupported_version', 'UnsupportedVersionError'],
    [new RunTimeoutError(500), 'run_timeout', 'RunTimeoutError'],
    [new SchedulerStoppedError(), 'scheduler_stopped', 'SchedulerStoppedError'],
  ])('%s carries code %s and its class name', (error, code, name) => {
    expect(error).toBeInstanceOf(BelfryError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(isBelfryError(error, code)).toBe(true);
  });

  it('recognises an error by code even from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { code: 'lock_backend' });
    expect(isBelfryError(foreign, 'lock_backend')).toBe(true);
    expect(isBelfryError(foreign, 'invalid_argument')).toBe(false);
    expect(isBelfryError({ code: 'lock_backend' })).toBe(false);
    expect(isBelfryError(null)).toBe(false);
  });

  it('names the expression and the bad part of a schedule', () => {
    const error = new ScheduleParseError('61 * * * *', 'minute must be 0-59', '61');
    expect(error.message).toBe('Invalid schedule "61 * * * *" (at "61"): minute must be 0-59');
    expect(error).toMatchObject({ expression: '61 * * * *', part: '61' });
  });

  it('says which versions a plugin reads when it refuses a snapshot', () => {
    const error = new UnsupportedVersionError({ plugin: 'counter', version: 3, expected: [1, 2] });
    expect(error.message).toContain('version 3 (reads 1, 2)');
    expect(error.expected).toEqual([1, 2]);
  });

  it('keeps the cause of a backend error', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new LockBackendError('redis down', { cause }).cause).toBe(cause);
  });
});
