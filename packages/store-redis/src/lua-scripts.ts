import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, so calls can go by EVALSHA and fall back to EVAL once. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

export function script(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Saves a cursor unless a higher fence is stored, compare and set in one
 * atomic step, so two runs saving at once can never leave the lower fence's
 * cursor behind. KEYS[1] is the job's hash (fields `fence` and `cursor`);
 * ARGV[1] the fence, ARGV[2] the cursor as JSON. Fences are below 2^53, so
 * Lua's numbers compare them exactly. Returns 1 when saved, 0 when stale.
 */
export const SAVE_CURSOR_SCRIPT = script(
  'save-cursor',
  `local stored = redis.call('HGET', KEYS[1], 'fence')
if stored and tonumber(stored) > tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'fence', ARGV[1], 'cursor', ARGV[2])
return 1`,
);

/**
 * Saves a snapshot and adds its id to the store's index in one atomic
 * step. KEYS[1] is the snapshot's hash (fields `version`, `fence`, `sum`,
 * `bytes`), KEYS[2] the set of ids; both share a hash tag, so the script
 * runs on a Redis Cluster too. ARGV: id, version, fence, SHA-256, bytes,
 * and `1` when the save is fenced: then a stored higher fence refuses it.
 * Redis strings are binary-safe, so the bytes go in and out unchanged.
 * Returns 1 when saved, 0 when stale.
 */
export const SAVE_SNAPSHOT_SCRIPT = script(
  'save-snapshot',
  `if ARGV[6] == '1' then
  local stored = redis.call('HGET', KEYS[1], 'fence')
  if stored and tonumber(stored) > tonumber(ARGV[3]) then
    return 0
  end
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'fence', ARGV[3], 'sum', ARGV[4], 'bytes', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[1])
return 1`,
);

/** Deletes a snapshot and its id in the index together. KEYS as for SAVE_SNAPSHOT_SCRIPT; ARGV[1] the id. */
export const DELETE_SNAPSHOT_SCRIPT = script(
  'delete-snapshot',
  `redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`,
);
