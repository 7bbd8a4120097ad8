import { script } from './lua-scripts.js';

// Runs are kept in sorted sets whose members all score 0, so they sort by
// member bytes: `<startedAt, 16 zero-padded digits>:<id>` orders runs by
// startedAt, then id, exactly as the history orders them (reversed). Each
// filter value has a set of its own (`<base>plugin:<name>`, …) holding the
// same members. `now` is the server's clock (TIME), so retention never
// depends on a node's clock. The filter sets' names are built in the
// scripts; they carry the same hash tag as KEYS, so on a Redis Cluster they
// live in the declared keys' slot.
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Appends a batch of runs and enforces retention, in one atomic step.
 * KEYS[1] the hash of records by id, KEYS[2] the set of every run;
 * ARGV[1] the prefix of the filter sets, ARGV[2] maxRuns, ARGV[3] maxAgeMs,
 * then 7 values per run: id, member, record JSON, plugin, scheduleId,
 * outcome, nodeId. A run whose id is stored already is skipped (HSETNX), so
 * the first record stays. Dropping a run reads its filter values back from
 * its stored record. Returns the number of runs added.
 */
export const APPEND_RUNS_SCRIPT = script(
  'append-runs',
  `${NOW}
local records, order, base = KEYS[1], KEYS[2], ARGV[1]
local maxRuns, maxAgeMs = tonumber(ARGV[2]), tonumber(ARGV[3])
local filters = { 'plugin', 'scheduleId', 'outcome', 'nodeId' }
local added = 0
for i = 4, #ARGV, 7 do
  if redis.call('HSETNX', records, ARGV[i], ARGV[i + 2]) == 1 then
    local member = ARGV[i + 1]
    redis.call('ZADD', order, 0, member)
    for f = 1, 4 do redis.call('ZADD', base .. filters[f] .. ':' .. ARGV[i + 2 + f], 0, member) end
    added = added + 1
  end
end
local function drop(members)
  for _, member in ipairs(members) do
    local id = string.sub(member, 18)
    local stored = redis.call('HGET', records, id)
    redis.call('HDEL', records, id)
    redis.call('ZREM', order, member)
    if stored then
      local run = cjson.decode(stored)
      for f = 1, 4 do redis.call('ZREM', base .. filters[f] .. ':' .. tostring(run[filters[f]]), member) end
    end
  end
end
local oldestKept = now - maxAgeMs
if oldestKept > 0 then
  drop(redis.call('ZRANGEBYLEX', order, '-', '(' .. string.format('%016d', oldestKept)))
end
local excess = redis.call('ZCARD', order) - maxRuns
if excess > 0 then drop(redis.call('ZRANGE', order, 0, excess - 1)) end
return added`,
);

/**
 * The newest runs matching every filter, up to ARGV[3], strictly older than
 * the member bound ARGV[4] (`+` for the first page) and not older than
 * maxAgeMs (ARGV[2]) by the server's clock. KEYS as in the append; ARGV[1]
 * the prefix of the filter sets, ARGV[5…] the filter sets' suffixes
 * (`plugin:<name>`, …). Walks the smallest of the filter sets (or the set
 * of every run when there is no filter) from the bound down, keeping the
 * members that every other filter set holds (ZSCORE). Returns the records.
 */
export const QUERY_RUNS_SCRIPT = script(
  'query-runs',
  `${NOW}
local records, order, base = KEYS[1], KEYS[2], ARGV[1]
local maxAgeMs, wanted, high = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local low = '[' .. string.format('%016d', math.max(now - maxAgeMs, 0))
local others = {}
local source, smallest = order, nil
for i = 5, #ARGV do
  local key = base .. ARGV[i]
  local size = redis.call('ZCARD', key)
  if smallest == nil or size < smallest then
    if smallest ~= nil then others[#others + 1] = source end
    source, smallest = key, size
  else
    others[#others + 1] = key
  end
end
local ids = {}
while #ids < wanted do
  local batch = redis.call('ZREVRANGEBYLEX', source, high, low, 'LIMIT', 0, 128)
  if #batch == 0 then break end
  for _, member in ipairs(batch) do
    local matches = true
    for _, key in ipairs(others) do
      if not redis.call('ZSCORE', key, member) then
        matches = false
        break
      end
    end
    if matches then
      ids[#ids + 1] = string.sub(member, 18)
      if #ids == wanted then break end
    end
  end
  high = '(' .. batch[#batch]
end
if #ids == 0 then return {} end
return redis.call('HMGET', records, unpack(ids))`,
);
