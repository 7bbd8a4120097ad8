import type { Redis } from 'ioredis';

/** Deletes every key under `prefix`, so tests leave the shared Redis as they found it. */
export async function purgePrefix(redis: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    // One DEL per key: on a cluster node, keys of different slots cannot share a command.
    if (keys.length > 0) await Promise.all(keys.map((key) => redis.del(key)));
  } while (cursor !== '0');
}
