import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { HOSTILE_PASSWORD } from '@belfry/internal/testing';
import { ManualClock } from '@belfry/scheduler-core';
import { BelfryHost, loadHostConfig } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Hang guard for a start against a dead server; the lock backend's bound is 2 s. */
const DEAD_SERVER_BOUND_MS = 20_000;

const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() });

const counter = {
  toml: manifest('counter', ['scheduled', 'stateful'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\n'),
  entry: `let count = 0;
export default {
  run() { count += 1; },
  snapshot() { return { version: 1, bytes: new TextEncoder().encode(String(count)) }; },
  restoreSnapshot(s) { count = Number(new TextDecoder().decode(s.bytes)); },
};`,
};

describe('[host] state_store', () => {
  it('defaults to auto, is read from the file, and BELFRY_STATE_STORE overrides it', () => {
    expect(loadHostConfig({ cwd: tmpdir(), env: {} }).stateStore).toBe('auto');
    const { file } = hostFolder({}, 'state_store = "file"\n');
    expect(loadHostConfig({ file, env: {} }).stateStore).toBe('file');
    expect(loadHostConfig({ file, env: { BELFRY_STATE_STORE: 'shared' } }).stateStore).toBe('shared');
  });

  it('refuses an unknown value, naming where it came from and the fix', () => {
    expect(() => loadHostConfig({ cwd: tmpdir(), env: { BELFRY_STATE_STORE: 'redis' } })).toThrow(
      'BELFRY_STATE_STORE (environment): unknown state store "redis". Fix: set it to auto, file or shared',
    );
    const { file } = hostFolder({}, 'state_store = "disk"\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(/state_store/);
  });

  it('"shared" with the memory backend stops the host at start with the reason and the fix', async () => {
    const { file } = hostFolder({}, 'state_store = "shared"\n[locking]\nbackend = "memory"\n');
    await expect(BelfryHost.start({ file, env: {}, logger: quiet() })).rejects.toMatchObject({
      code: 'host_config',
      message: expect.stringContaining('"shared" state needs the redis or pg lock backend, but the "memory" lock backend has no server the host can keep it in. Fix: set state_store to "file"'),
    });
  });

  it('"file" keeps a Redis-locked host’s state in its state dir and writes no snapshot to Redis', async () => {
    const keyPrefix = `state-file-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const { file, dir } = hostFolder({ counter }, `state_store = "file"\n[locking]\nbackend = "redis"\nredis_url = "${REDIS_URL}"\nkey_prefix = "${keyPrefix}"\n`);
    const info = vi.fn();
    const host = await BelfryHost.start({ file, env: {}, clock: new ManualClock(Date.UTC(2026, 0, 1)), logger: { ...quiet(), info } });
    await host.stop({ graceMs: 0 });
    expect(readdirSync(join(dir, '.belfry-state')).length).toBeGreaterThan(0);
    expect(info).toHaveBeenCalledWith(expect.stringContaining(`state in ${join(dir, '.belfry-state')}`));
    const admin = new Redis(REDIS_URL);
    try {
      expect(await admin.keys(`${keyPrefix}{snapshots}*`)).toEqual([]);
    } finally {
      admin.disconnect();
    }
  });

  it('"auto" with one Redis server keeps state in Redis under the key prefix, and nothing in the state dir', async () => {
    const keyPrefix = `state-auto-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const { file, dir } = hostFolder({ counter }, `[locking]\nbackend = "redis"\nredis_url = "${REDIS_URL}"\nkey_prefix = "${keyPrefix}"\n`);
    const info = vi.fn();
    const host = await BelfryHost.start({ file, env: {}, clock: new ManualClock(Date.UTC(2026, 0, 1)), logger: { ...quiet(), info } });
    await host.stop({ graceMs: 0 });
    expect(info).toHaveBeenCalledWith(expect.stringContaining(`state in Redis keys ${keyPrefix}{snapshots}:*`));
    expect(() => readdirSync(join(dir, '.belfry-state'))).toThrow(/ENOENT/);
    const admin = new Redis(REDIS_URL);
    try {
      expect((await admin.smembers(`${keyPrefix}{snapshots}:ids`)).sort()).toEqual(['belfry.scheduler:global:counter:tick', 'belfry.scheduler:node:' + host.config.nodeId, 'counter']);
      await admin.del(...(await admin.keys(`${keyPrefix}*`)));
    } finally {
      admin.disconnect();
    }
  });

  it('a shared store whose server is down stops the host within the bound, without the password', async () => {
    const { file } = hostFolder({ counter }, `[locking]\nbackend = "redis"\nredis_url = "redis://:${HOSTILE_PASSWORD}@127.0.0.1:1"\n`);
    const started = performance.now();
    const error = await BelfryHost.start({ file, env: {}, logger: quiet() }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(performance.now() - started).toBeLessThan(DEAD_SERVER_BOUND_MS);
    expect(error).toMatchObject({ code: 'host_start' });
    expect(`${error!.message} ${String(error!.stack)}`).not.toContain(HOSTILE_PASSWORD);
  }, 2 * DEAD_SERVER_BOUND_MS);
});
