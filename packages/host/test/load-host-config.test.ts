import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostConfig } from '../src/load-host-config.js';

function settings(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
  const file = join(dir, 'belfry.config.toml');
  writeFileSync(file, text);
  return file;
}

describe('loadHostConfig', () => {
  it('applies defaults when no settings file exists, resolving folders against cwd', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'belfry-cwd-'));
    const config = loadHostConfig({ cwd, env: {} });
    expect(config).toMatchObject({
      file: null,
      pluginsDir: join(cwd, 'plugins'),
      stateDir: join(cwd, '.belfry-state'),
      locking: { backend: 'memory', pgMode: 'lease', keyPrefix: 'belfry:' },
      dashboard: { enabled: true, host: '127.0.0.1', port: 4600 },
      snapshotIntervalMs: 30_000,
    });
    expect(config.nodeId).toMatch(/:\d+$/);
  });

  it('reads the file, resolving its folders against the file', () => {
    const file = settings('[host]\nnode_id = "n1"\nplugins_dir = "p"\n[dashboard]\nport = 0\n[plugins.counter]\nstep = 2\n');
    const config = loadHostConfig({ file, env: {} });
    expect(config).toMatchObject({ file, nodeId: 'n1', pluginsDir: join(file, '..', 'p'), dashboard: { port: 0 }, plugins: { counter: { step: 2 } } });
  });

  it('lets the environment override the file', () => {
    const file = settings('[locking]\nbackend = "memory"\n[dashboard]\nport = 4600\n');
    const config = loadHostConfig({
      file,
      env: { BELFRY_LOCKING: 'redis', REDIS_URL: 'redis://127.0.0.1:6390', BELFRY_PORT: '4700', BELFRY_NODE_ID: 'env-node', BELFRY_STATE_DIR: '/tmp/s' },
    });
    expect(config).toMatchObject({ nodeId: 'env-node', stateDir: '/tmp/s', locking: { backend: 'redis', redisUrl: 'redis://127.0.0.1:6390' }, dashboard: { port: 4700 } });
  });

  it('names the file, the key and a likely fix for an unknown key', () => {
    const file = settings('[locking]\nbackend = "memory"\nredis_ulr = "redis://x"\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(`${file}: invalid settings:\n  - unknown key "redis_ulr" in [locking]; did you mean "redis_url"?`);
  });

  it('names the key and the value of an unknown backend', () => {
    const file = settings('[locking]\nbackend = "etcd"\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(/\[locking\] backend: .*"memory".*"redis".*"pg".* \(got "etcd"\)/);
  });

  it('rejects an unknown backend from the environment, naming the variable', () => {
    expect(() => loadHostConfig({ cwd: tmpdir(), env: { BELFRY_LOCKING: 'zookeeper' } })).toThrow(
      'BELFRY_LOCKING (environment): unknown lock backend "zookeeper". Fix: set it to memory, redis or pg',
    );
  });

  it('reports the line and column of a TOML syntax error', () => {
    const file = settings('[host]\nnode_id = \n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: not valid TOML`));
  });

  it('asks for a URL when the redis backend has none', () => {
    const file = settings('[locking]\nbackend = "redis"\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow('Fix: set [locking] redis_url or the REDIS_URL environment variable');
  });

  it('never shows the password of a bad URL', () => {
    let message = '';
    try {
      loadHostConfig({ cwd: tmpdir(), env: { BELFRY_LOCKING: 'pg', DATABASE_URL: 'mysql://admin:s3cret@db:3306/x' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('must start with postgres: or postgresql:');
    expect(message).toContain('admin:***@db');
    expect(message).not.toContain('s3cret');
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadHostConfig({ cwd: tmpdir(), env: { BELFRY_PORT: 'eighty' } })).toThrow('BELFRY_PORT (environment): "eighty" is not a port number');
  });

  it('says when an explicitly named file is missing', () => {
    expect(() => loadHostConfig({ file: '/nonexistent/belfry.config.toml', env: {} })).toThrow('/nonexistent/belfry.config.toml: settings file not found');
  });
});
