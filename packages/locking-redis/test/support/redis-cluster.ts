import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

/** A three-master Redis Cluster a test started, with no replicas. */
export interface RedisCluster {
  readonly nodes: Array<{ host: string; port: number }>;
  stop(): Promise<void>;
}

/** Redis's cluster bus listens on the client port + 10000. */
const BUS_OFFSET = 10_000;

async function clusterState(port: number): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
  return /cluster_state:(\w+)/.exec(stdout)?.[1] ?? 'unknown';
}

/**
 * Starts three `redis-server --cluster-enabled yes` nodes on free ports,
 * joins them with `redis-cli --cluster create`, and waits until every node
 * reports `cluster_state:ok`.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'belfry-redis-cluster-'));
  const servers: RedisServer[] = [];
  try {
    for (let index = 0; index < 3; index += 1) {
      const port = await freePort(BUS_OFFSET);
      servers.push(
        await startRedisServer({
          port,
          args: ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
        }),
      );
    }
    await run('redis-cli', [
      '--cluster', 'create',
      ...servers.map((server) => `127.0.0.1:${server.port}`),
      '--cluster-replicas', '0',
      '--cluster-yes',
    ]);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(servers.map((server) => clusterState(server.port)));
      if (states.every((state) => state === 'ok')) break;
      if (Date.now() > deadline) throw new Error(`cluster did not become ok within 20 s (states: ${states.join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
