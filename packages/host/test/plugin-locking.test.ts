import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@belfry/scheduler-core';
import { BelfryHost } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const hosts: BelfryHost[] = [];

async function start(file: string, env: Record<string, string> = {}) {
  const clock = new ManualClock(START);
  const host = await BelfryHost.start({ file, env, clock, logger: quiet() });
  hosts.push(host);
  return { host, clock };
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop({ graceMs: 0 })));
});

/** A plugin providing the in-memory backend `etcd-fake`; it records every call, and fails every call when `[locking.options] broken = true`. */
const etcdFake = {
  toml: manifest('etcd_fake', ['locking'], '[plugin.locking]\nbackend = "etcd-fake"\n'),
  entry: `export const calls = [];
export const options = [];
const held = new Map();
let next = 0;
export default {
  createLocking(settings) {
    options.push(settings);
    const check = () => { if (settings.broken === true) throw new Error('etcd-fake: cluster unreachable'); };
    return {
      name: 'etcd-fake',
      async tryLock(key, ttlMs) { calls.push('tryLock ' + key); check(); if (held.has(key)) return null; const handle = { key, lockId: String(++next), ttlMs, fence: next }; held.set(key, handle.lockId); return handle; },
      async renew(handle) { calls.push('renew ' + handle.key); check(); if (held.get(handle.key) !== handle.lockId) throw new Error('lock lost'); },
      async release(handle) { calls.push('release ' + handle.key); if (held.get(handle.key) === handle.lockId) held.delete(handle.key); },
      async cleanup() { calls.push('cleanup'); },
    };
  },
};`,
};

const ticker = {
  toml: manifest('ticker', ['scheduled'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\n'),
  entry: 'export default { run() {} };',
};

const fakeModule = async (dir: string) =>
  (await import(pathToFileURL(join(dir, 'plugins/etcd/index.mjs')).href)) as { calls: string[]; options: unknown[] };

describe('a lock backend provided by a plugin', () => {
  it('is built from [locking.options], probed at start, and takes the locks of global schedules', async () => {
    const { dir, file } = hostFolder({ etcd: etcdFake, ticker }, '[locking]\nbackend = "etcd-fake"\n[locking.options]\nendpoints = ["127.0.0.1:2379"]\n');
    const { host, clock } = await start(file);
    const fake = await fakeModule(dir);
    expect(fake.options).toEqual([{ endpoints: ['127.0.0.1:2379'] }]);
    expect(fake.calls.slice(0, 3)).toEqual([expect.stringMatching(/^tryLock host-probe:/), expect.stringMatching(/^renew host-probe:/), expect.stringMatching(/^release host-probe:/)]);
    expect(host.status().backend).toBe('etcd-fake');

    await clock.advance(20_000);
    const runs = host.runs.recent().filter((r) => r.outcome === 'success');
    expect(runs).toHaveLength(2);
    expect(runs[0]!.fence).toBeGreaterThan(0);
    expect(fake.calls.filter((c) => c.startsWith('tryLock') && !c.includes('host-probe')).length).toBe(2);
    await host.stop({ graceMs: 0 });
    expect(fake.calls.at(-1)).toBe('cleanup');
  });

  it('is chosen by BELFRY_LOCKING too', async () => {
    const { file } = hostFolder({ etcd: etcdFake });
    const { host } = await start(file, { BELFRY_LOCKING: 'etcd-fake' });
    expect(host.locking.name).toBe('etcd-fake');
  });

  it('stops the host, naming the plugin, when its probe fails', async () => {
    const { file } = hostFolder({ etcd: etcdFake, ticker }, '[locking]\nbackend = "etcd-fake"\n[locking.options]\nbroken = true\n');
    const error = (await start(file).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'host_start' });
    expect(error.message).toMatch(/^lock backend "etcd-fake" provided by plugin "etcd_fake" \(.*plugins\/etcd\) is not usable: etcd-fake: cluster unreachable\. Fix: check \[locking\.options\] and the plugin "etcd_fake"$/);
  });

  it('refuses a backend name nobody provides, with a did-you-mean listing the available names', async () => {
    const { file } = hostFolder({ etcd: etcdFake }, '[locking]\nbackend = "etcd-fak"\n');
    await expect(start(file)).rejects.toThrow(
      `${file}: [locking] backend: unknown lock backend "etcd-fak"; did you mean "etcd-fake"? Fix: set it to one of memory, redis, pg, etcd-fake, or add the plugin that provides it`,
    );
    await expect(start(hostFolder({}).file, { BELFRY_LOCKING: 'zookeeper' })).rejects.toThrow(
      'BELFRY_LOCKING (environment): unknown lock backend "zookeeper"; Fix: set it to one of memory, redis, pg, or add the plugin that provides it',
    );
  });

  it('surfaces two plugins providing one backend, naming both manifests', async () => {
    const other = { toml: manifest('etcd_other', ['locking'], '[plugin.locking]\nbackend = "etcd-fake"\n'), entry: etcdFake.entry };
    const { file } = hostFolder({ etcd: etcdFake, other }, '[locking]\nbackend = "etcd-fake"\n');
    const error = (await start(file).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'host_start' });
    expect(error.message).toContain('no plugin was loaded');
    expect(error.message).toMatch(/etcd-fake/);
    expect(error.message).toContain('plugins/other/plugin.toml');
  });

  it('says what is missing when the entry has no createLocking', async () => {
    const { file } = hostFolder({ etcd: { toml: etcdFake.toml, entry: 'export default {};' } });
    await expect(start(file)).rejects.toThrow('plugins/etcd/plugin.toml: capability "locking" is declared in plugin.toml but the entry\'s export has no createLocking() function');
  });
});
