// Targets for `belfry-conformance` (run by `pnpm conformance` at the repo root).
// Not shipped: it imports the built package and starts its own servers.
import { randomUUID } from 'node:crypto';
import { RedisLocking } from './dist/index.js';
import { freePort, purgePrefix, startRedisServer } from './scripts/redis-server.mjs';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// The suite reads fences, peers and limits from RedisLocking.supports.

function target(name, urls, deadUrls, hooks = {}) {
  const prefixes = new WeakMap();
  const make = (prefix, primary) => {
    const locking = new RedisLocking({ url: urls(), keyPrefix: prefix });
    prefixes.set(locking, { prefix, primary });
    return locking;
  };
  return {
    name,
    ...hooks,
    locking: {
      factory: {
        create: () => make(`belfry-conformance:${randomUUID()}:`, true),
        createPeer: (locking) => make(prefixes.get(locking).prefix, false),
        createUnreachable: () => new RedisLocking({ url: deadUrls(), keyPrefix: `belfry-conformance:${randomUUID()}:` }),
        async destroy(locking) {
          await locking.cleanup();
          const made = prefixes.get(locking);
          if (made?.primary) await purgePrefix([urls()].flat(), made.prefix);
        },
      },
    },
  };
}

// Ports nothing listens on, for the unreachable-server rules.
// Distinct, since a quorum may not list one server twice.
const deadPorts = new Set();
while (deadPorts.size < 3) deadPorts.add(await freePort());
const dead = [...deadPorts].map((port) => `redis://127.0.0.1:${port}`);
let quorum = [];

export default [
  target('redis (single)', () => REDIS_URL, () => dead[0]),
  target(
    'redis (quorum of 3)',
    () => quorum.map((server) => server.url),
    () => dead,
    {
      async setup() {
        quorum = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
      },
      async teardown() {
        await Promise.all(quorum.map((server) => server.stop()));
        quorum = [];
      },
    },
  ),
];
