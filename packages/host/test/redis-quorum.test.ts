import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@belfry/scheduler-core';
import { BelfryHost } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const servers: ChildProcess[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.kill('SIGKILL');
    if (server.exitCode === null) await once(server, 'exit');
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** A throwaway redis-server on a free port, resolved once it accepts connections. */
async function redisServer(): Promise<string> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(server);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server on ${port} exited with ${code}:\n${output}`)));
  });
  return `redis://127.0.0.1:${port}`;
}

describe('a host on a Redis quorum', () => {
  it('takes its locks on a quorum of the servers listed in [locking] redis_url', async () => {
    const urls = [process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', await redisServer(), await redisServer()];
    const ticker = {
      toml: manifest('ticker', ['scheduled'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\n'),
      entry: 'export default { run() {} };',
    };
    const { file } = hostFolder({ ticker }, `[locking]\nbackend = "redis"\nkey_prefix = "host-quorum-${process.pid}-${Date.now()}:"\nredis_url = ${JSON.stringify(urls)}\n`);
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const host = await BelfryHost.start({ file, env: {}, clock, logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() } });
    try {
      expect(host.config.locking.redisUrl).toEqual(urls);
      await clock.advance(10_000);
      await vi.waitFor(() => expect(host.runs.recent()).toContainEqual(expect.objectContaining({ plugin: 'ticker', outcome: 'success', locking: 'require_global' })), { timeout: 10_000 });
    } finally {
      await host.stop({ graceMs: 0 });
    }
  });
});

describe('a host on a Redis that keeps nothing across a restart', () => {
  it('logs the persistence warning once and shows it in status()', async () => {
    const url = await redisServer();
    const { file } = hostFolder({}, `[locking]\nbackend = "redis"\nredis_url = ${JSON.stringify(url)}\n`);
    const warn = vi.fn();
    const host = await BelfryHost.start({ file, env: {}, clock: new ManualClock(Date.UTC(2026, 0, 1)), logger: { info: vi.fn(), warn, error: vi.fn() } });
    try {
      expect(host.status().warnings).toEqual([expect.stringContaining('Exactly-once across a Redis restart needs appendonly yes')]);
      expect(warn.mock.calls.filter(([message]) => String(message).includes('appendonly yes'))).toHaveLength(1);
    } finally {
      await host.stop({ graceMs: 0 });
    }
  });
});
