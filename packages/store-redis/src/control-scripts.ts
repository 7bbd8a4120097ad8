import { script } from './lua-scripts.js';

// KEYS[1] is the hash of paused targets by target key, each
// `<pausedAt> <PausedTarget JSON without pausedAt>`; KEYS[2] a version
// counter bumped by every change, in the same step, so a reader can tell
// which of two lists is newer. A change is announced on channel ARGV[1]
// with the new version, for watchers to re-read at once.

/** Pauses target ARGV[2] (entry JSON in ARGV[3]) at the server's time (TIME). */
export const PAUSE_TARGET_SCRIPT = script(
  'pause-target',
  `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[2], string.format('%d', now) .. ' ' .. ARGV[3])
local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[1], version)
return version`,
);

/** Resumes target ARGV[2]; bumps the version and announces only when it was paused. */
export const RESUME_TARGET_SCRIPT = script(
  'resume-target',
  `if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return 0 end
local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[1], version)
return version`,
);

/** The version and every paused entry (field, value, field, value, …), read in one step. */
export const READ_PAUSED_SCRIPT = script(
  'read-paused',
  `return { redis.call('GET', KEYS[2]) or '0', redis.call('HGETALL', KEYS[1]) }`,
);
