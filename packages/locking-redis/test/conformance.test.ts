import { afterAll, beforeAll, describe, test } from 'vitest';
import { lockingSuite } from '@belfry/conformance';
import { redisLockingFactory } from './support/locking-factory.js';
import { freePort, REDIS_URL, startRedisServer, type RedisServer } from './support/redis-server.js';

// Three distinct ports: a quorum may not list one server twice.
const deadPorts: number[] = [];
while (deadPorts.length < 3) {
  const port = await freePort();
  if (!deadPorts.includes(port)) deadPorts.push(port);
}
const deadUrls = deadPorts.map((port) => `redis://127.0.0.1:${port}`);

lockingSuite(
  { test, describe },
  {
    name: 'redis (single)',
    factory: redisLockingFactory({
      connection: () => ({ url: REDIS_URL }),
      serverUrls: () => [REDIS_URL],
      unreachable: () => ({ url: deadUrls[0] }),
    }),
  },
);

describe('quorum of three', () => {
  let servers: RedisServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  lockingSuite(
    { test, describe },
    {
      name: 'redis (quorum of 3)',
      factory: redisLockingFactory({
        connection: () => ({ url: servers.map((server) => server.url) }),
        serverUrls: () => servers.map((server) => server.url),
        unreachable: () => ({ url: deadUrls }),
      }),
      },
  );
});
