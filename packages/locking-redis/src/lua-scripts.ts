import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, so calls can go by EVALSHA and fall back to EVAL once. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function script(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

// Scripts touch only KEYS[1] (the lock) and, where fences are involved,
// KEYS[2] (its counter). Both share a hash tag, so in Redis Cluster they
// live in one slot and no script ever crosses slots.

/**
 * Takes the lock only if nobody holds it and mints its fence in the same
 * atomic step, so no other holder can be handed a fence in between and
 * acquiring costs one round trip. A missing counter (INCR gives 1: first
 * use of the key, expired after ARGV[3] ms unused, or lost to a restart
 * without persistence, FLUSHALL or eviction) starts from the server's
 * clock in microseconds, so fences keep increasing across the gap as long
 * as the key averaged under a million locks a second and the clock did
 * not step back by more than the gap.
 * ARGV[1] token, ARGV[2] TTL in ms, ARGV[3] counter retention in ms.
 * Returns the new fence, or nil when held.
 */
export const ACQUIRE_SCRIPT = script(
  'acquire',
  `redis.replicate_commands()
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local fence = redis.call('INCR', KEYS[2])
  if fence == 1 then
    local now = redis.call('TIME')
    local seed = now[1] .. string.format('%06d', tonumber(now[2]))
    redis.call('SET', KEYS[2], seed)
    fence = tonumber(seed)
  end
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return fence
end
return false`,
);

/**
 * Extends the lock only while it still holds the caller's token. Redis
 * reads an expired key as absent, so an expired lock is never revived.
 * ARGV[1] token, ARGV[2] TTL in ms. Returns 1 when extended, 0 when lost.
 */
export const RENEW_SCRIPT = script(
  'renew',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
);

/**
 * Deletes the lock only if it holds the caller's token: a stale or forged
 * handle never frees a newer holder's lock.
 * ARGV[1] token. Returns 1 when deleted, 0 otherwise.
 */
export const RELEASE_SCRIPT = script(
  'release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
);

/**
 * Quorum mode: raises the fence counter to at least ARGV[2] (never lowers
 * it) and reports whether the caller's token still held the lock at that
 * same instant. Counting only instances that answer 1 is what makes fences
 * increase across holders that won different majorities.
 * ARGV[1] token, ARGV[2] fence, ARGV[3] counter retention in ms.
 * Returns 1 when the token holds, 0 otherwise.
 */
export const RAISE_FENCE_SCRIPT = script(
  'raise-fence',
  `local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return 1
end
return 0`,
);
