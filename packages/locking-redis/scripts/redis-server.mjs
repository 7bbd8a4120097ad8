// Starts throwaway redis-server processes for the benchmark and the
// conformance config (the tests have a TypeScript twin in test/support).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A free loopback port, as the OS hands it out. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `redis-server` on a free port, no persistence; resolves once it answers PING. */
export async function startRedisServer() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  let spawnError;
  child.once('error', (error) => {
    spawnError = error;
  });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (probe.status === 'wait') await probe.connect();
      if ((await probe.ping()) === 'PONG') break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null || spawnError !== undefined) {
        probe.disconnect();
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not start${spawnError ? `: ${spawnError.message}` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  probe.disconnect();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Deletes every key under `prefix` on each server. */
export async function purgePrefix(urls, prefix) {
  await Promise.all(
    urls.map(async (url) => {
      const redis = new Redis(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          await Promise.all(keys.map((key) => redis.del(key)));
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    }),
  );
}
