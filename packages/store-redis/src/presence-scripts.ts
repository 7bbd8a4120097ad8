import { script } from './lua-scripts.js';

// KEYS[1] is the hash of nodes by id, each `<lastSeenAt> <NodeInfo JSON>`;
// KEYS[2] the sorted set of node ids scored by when they expire, both by the
// server's clock (TIME), so skewed node clocks cannot make a live node look
// dead. Expired nodes are removed by whichever call sees them first.
const NOW_AND_PRUNE = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, nodeId in ipairs(expired) do redis.call('HDEL', KEYS[1], nodeId) end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end`;

/** Publishes node ARGV[1] (NodeInfo JSON in ARGV[2]) for ARGV[3] ms from now. */
export const PUBLISH_NODE_SCRIPT = script(
  'publish-node',
  `${NOW_AND_PRUNE}
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', now) .. ' ' .. ARGV[2])
redis.call('ZADD', KEYS[2], string.format('%d', now + tonumber(ARGV[3])), ARGV[1])
return 1`,
);

/** Every live node's `<lastSeenAt> <NodeInfo JSON>`, in no particular order. */
export const LIST_NODES_SCRIPT = script(
  'list-nodes',
  `${NOW_AND_PRUNE}
local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. string.format('%d', now), '+inf')
if #live == 0 then return {} end
return redis.call('HMGET', KEYS[1], unpack(live))`,
);

/** Removes node ARGV[1] from both keys. */
export const WITHDRAW_NODE_SCRIPT = script(
  'withdraw-node',
  `redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`,
);
