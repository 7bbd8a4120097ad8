import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Logger } from '@belfry/plugin-api';
import { RedisLocking, type RedisLockingOptions } from '../src/index.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

function recordingLogger(): Logger & { warned: string[] } {
  const warned: string[] = [];
  return { warned, info: () => undefined, error: () => undefined, warn: (message) => warned.push(message) };
}

describe('a Redis that would forget its locks on a restart is reported once', () => {
  let volatile: RedisServer;
  let durable: RedisServer;
  let snapshots: RedisServer;
  const dir = mkdtempSync(join(tmpdir(), 'belfry-aof-'));
  beforeAll(async () => {
    [volatile, durable, snapshots] = await Promise.all([
      startRedisServer({ args: ['--requirepass', 's3cret-PW'] }),
      startRedisServer({ args: ['--appendonly', 'yes', '--dir', dir] }),
      startRedisServer({ args: ['--save', '3600 1'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([volatile, durable, snapshots].map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function opened(options: RedisLockingOptions, work: (locking: RedisLocking) => Promise<void>): Promise<void> {
    const locking = new RedisLocking(options);
    try {
      await work(locking);
    } finally {
      await locking.cleanup();
    }
  }

  test('--save "" --appendonly no: one warning through the logger, naming the server without its password, and in warnings', async () => {
    const logger = recordingLogger();
    await opened({ url: `redis://:s3cret-PW@127.0.0.1:${volatile.port}`, logger }, async (locking) => {
      for (let i = 0; i < 3; i += 1) await locking.release((await locking.tryLock(`job-${i}`, 5000))!);
      await locking.checkPersistence();
      await locking.checkPersistence();
      expect(logger.warned).toHaveLength(1);
      expect(logger.warned[0]).toContain(`Redis 127.0.0.1:${volatile.port} keeps nothing across a restart (appendonly no, save "")`);
      expect(logger.warned[0]).toContain('Exactly-once across a Redis restart needs appendonly yes');
      expect(logger.warned[0]).not.toContain('s3cret');
      expect(locking.warnings).toEqual(logger.warned);
    });
  });

  test('--appendonly yes: no warning', async () => {
    const logger = recordingLogger();
    await opened({ url: durable.url, logger }, async (locking) => {
      await locking.release((await locking.tryLock('job', 5000))!);
      expect(await locking.checkPersistence()).toEqual([]);
      expect(logger.warned).toEqual([]);
    });
  });

  test('RDB snapshots without AOF: warned that the locks since the last snapshot are lost', async () => {
    const logger = recordingLogger();
    await opened({ url: snapshots.url, logger }, async (locking) => {
      await locking.tryLock('job', 5000);
      expect(await locking.checkPersistence()).toEqual([expect.stringContaining('has appendonly no (RDB snapshots: save "3600 1")')]);
    });
  });

  test('a quorum warns per server, naming each, and suggests the delayed restart', async () => {
    const logger = recordingLogger();
    await opened({ url: [volatile.url.replace('//', '//:s3cret-PW@'), durable.url, snapshots.url], logger }, async (locking) => {
      await locking.tryLock('job', 5000);
      const warnings = await locking.checkPersistence();
      expect(warnings).toHaveLength(2);
      expect(warnings.join('\n')).toContain(`127.0.0.1:${volatile.port}`);
      expect(warnings.join('\n')).toContain(`127.0.0.1:${snapshots.port}`);
      expect(warnings.join('\n')).not.toContain(`127.0.0.1:${durable.port}`);
      expect(warnings[0]).toContain('keep a restarted server out of the quorum for longer than the longest lock TTL');
      expect(logger.warned).toEqual(warnings);
    });
  });

  test('a borrowed client that is already connected is checked too, and the check costs no lock call a round trip', async () => {
    const logger = recordingLogger();
    const client = new Redis(volatile.port, '127.0.0.1', { password: 's3cret-PW' });
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('ready', resolve));
    const sent: string[] = [];
    const originalSend = client.sendCommand.bind(client);
    client.sendCommand = ((command: { name: string }, stream?: unknown) => {
      sent.push(command.name);
      return originalSend(command as never, stream as never);
    }) as typeof client.sendCommand;
    try {
      await opened({ client, logger }, async (locking) => {
        expect(await locking.checkPersistence()).toHaveLength(1);
        sent.length = 0;
        for (let i = 0; i < 5; i += 1) await locking.release((await locking.tryLock(`job-${i}`, 5000))!);
        expect(sent.filter((name) => name === 'info' || name === 'config')).toEqual([]);
        expect(sent.filter((name) => name === 'evalsha')).toHaveLength(10);
        expect(logger.warned).toHaveLength(1);
      });
    } finally {
      client.disconnect();
    }
  });
});
