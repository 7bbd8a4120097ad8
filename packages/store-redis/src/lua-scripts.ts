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
