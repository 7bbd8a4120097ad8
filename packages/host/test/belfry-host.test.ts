import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@belfry/scheduler-core';
import { BelfryHost } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const hosts: BelfryHost[] = [];

async function start(file: string, clock = new ManualClock(START), env: Record<string, string> = {}) {
  const host = await BelfryHost.start({ file, env, clock, logger: quiet() });
  hosts.push(host);
  return { host, clock };
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop({ graceMs: 0 })));
});

const ticker = {
  toml: manifest('ticker', ['scheduled'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "require_global"\n'),
  entry: 'export const seen = []; export default { run(ctx) { seen.push(ctx.scheduledAt); } };',
};

const counter = {
  toml: manifest('counter', ['scheduled', 'stateful'], '[[plugin.schedules]]\nid = "tick"\ncron = "10s"\nlocking = "node_local"\n'),
  entry: `let count = 0;
export default {
  run() { count += 1; },
  snapshot() { return { version: 1, bytes: new TextEncoder().encode(String(count)) }; },
  restoreSnapshot(s) { count = Number(new TextDecoder().decode(s.bytes)); },
  get count() { return count; },
};`,
};

describe('BelfryHost', () => {
  it('loads plugins, fires their schedules on the clock and records each run', async () => {
    const { file } = hostFolder({ ticker });
    const { host, clock } = await start(file);
    await clock.advance(30_000);
    const runs = host.runs.recent();
    expect(runs.filter((r) => r.outcome === 'success').map((r) => r.scheduledAt)).toEqual([START + 30_000, START + 20_000, START + 10_000]);
    expect(runs[0]).toMatchObject({ plugin: 'ticker', scheduleId: 'tick', locking: 'require_global', nodeId: host.config.nodeId });
    expect(runs[0]!.fence).toBeGreaterThan(0);
    const status = host.status();
    expect(status.scheduler.schedules).toMatchObject([{ plugin: 'ticker', scheduleId: 'tick', runCount: 3, nextRunAt: START + 40_000 }]);
    expect(status.plugins).toEqual([{ id: 'ticker', name: 'ticker', version: '1.0.0', capabilities: ['scheduled'] }]);
  });

  it('restores a stateful plugin after a restart from its file snapshot', async () => {
    const { file, dir } = hostFolder({ counter });
    const first = await start(file);
    await first.clock.advance(50_000);
    await first.host.stop({ graceMs: 0 });
    expect(readdirSync(join(dir, '.belfry-state')).length).toBeGreaterThan(0);
    const module = await import(join(dir, 'plugins/counter/index.mjs'));
    expect(module.default.count).toBe(5);

    module.default.restoreSnapshot({ version: 1, bytes: new TextEncoder().encode('0') });
    const second = await start(file, new ManualClock(START + 55_000));
    expect(second.host.status().snapshots[0]).toMatchObject({ kind: 'restore' });
    expect(second.host.status().snapshots[0]!.entries).toContainEqual(expect.objectContaining({ id: 'counter', status: 'restored' }));
    expect(module.default.count).toBe(5);
  });

  it('refuses to start on an invalid manifest, naming the file and line, without importing any plugin', async () => {
    const marker = `globalThis.__belfryImported = true; export default { run() {} };`;
    const { file } = hostFolder({
      good: { toml: manifest('good', ['scheduled'], '[[plugin.schedules]]\nid = "a"\ncron = "5s"\n'), entry: marker },
      bad: { toml: manifest('bad', ['scheduled'], '[[plugin.schedules]]\nid = "a"\ncron = "every day"\n'), entry: marker },
    });
    await expect(start(file)).rejects.toThrow(/problem\(s\) in plugin manifests; no plugin was loaded:[\s\S]*plugins\/bad\/plugin\.toml:10:/);
    expect((globalThis as { __belfryImported?: boolean }).__belfryImported).toBeUndefined();
  });

  it('refuses two plugins with one id, naming both files', async () => {
    const entry = 'export default { run() {} };';
    const toml = manifest('same', ['scheduled'], '[[plugin.schedules]]\nid = "a"\ncron = "5s"\n');
    const { file } = hostFolder({ one: { toml, entry }, two: { toml, entry } });
    const error = await start(file).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'host_start' });
    expect((error as Error).message).toContain('plugins/one/plugin.toml');
    expect((error as Error).message).toContain('plugins/two/plugin.toml');
  });

  it('says which function is missing when an entry does not implement a declared capability', async () => {
    const { file } = hostFolder({ lazy: { toml: manifest('lazy', ['scheduled'], '[[plugin.schedules]]\nid = "a"\ncron = "5s"\n'), entry: 'export default {};' } });
    await expect(start(file)).rejects.toThrow('plugins/lazy/plugin.toml: capability "scheduled" is declared in plugin.toml but the entry\'s export has no run() function');
  });

  it('dispatches onServerStart with each plugin its settings, in priority order, and onServerStop at shutdown', async () => {
    const entry = (name: string, priority: number) => `export default ({ config }) => ({ priority: ${priority},
      onServerStart(settings) { (globalThis.__events ??= []).push('${name}:start:' + JSON.stringify(settings)); },
      onServerStop() { globalThis.__events.push('${name}:stop'); } });`;
    const { file } = hostFolder(
      { late: { toml: manifest('late', ['lifecycle']), entry: entry('late', 50) }, early: { toml: manifest('early', ['lifecycle']), entry: entry('early', 5) } },
      '[plugins.late]\ncolour = "blue"\n',
    );
    const { host } = await start(file);
    await host.stop();
    expect((globalThis as { __events?: string[] }).__events).toEqual(['early:start:{}', 'late:start:{"colour":"blue"}', 'early:stop', 'late:stop']);
  });

  it('refuses to start when the configured Redis cannot be reached, without showing its password', async () => {
    const { file } = hostFolder({ ticker });
    const started = Date.now();
    const error = await start(file, new ManualClock(START), { BELFRY_LOCKING: 'redis', REDIS_URL: 'redis://:topsecret@127.0.0.1:1' }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ code: 'host_start' });
    expect((error as Error).message).toContain('lock backend "redis" at redis://:***@127.0.0.1:1 is not usable');
    expect((error as Error).message).not.toContain('topsecret');
  });

  it('logs at info and above by default, and debug lines only with BELFRY_LOG_LEVEL=debug', async () => {
    const { file } = hostFolder({ ticker });
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      const quietHost = await BelfryHost.start({ file, env: {}, clock: new ManualClock(START) });
      await quietHost.stop();
      expect(info).toHaveBeenCalledWith(expect.stringMatching(/^belfry host .* started/));
      expect(debug).not.toHaveBeenCalled();

      const loudHost = await BelfryHost.start({ file, env: { BELFRY_LOG_LEVEL: 'debug' }, clock: new ManualClock(START) });
      await loudHost.stop();
      expect(debug).toHaveBeenCalledWith(expect.stringMatching(/^belfry host: plugin "ticker" 1\.0\.0 loaded from /));
    } finally {
      debug.mockRestore();
      info.mockRestore();
    }
  });

  it('redacts passwords from what plugins log through the host logger', async () => {
    const chatty = {
      toml: manifest('chatty', ['lifecycle']),
      entry: `export default ({ logger }) => ({ onServerStart() { logger.warn('cannot reach redis://app:hunter2@cache:6379', { url: 'postgres://u:hunter2@db/x', nested: [{ dsn: 'u:hunter2@db' }] }); } });`,
    };
    const { file } = hostFolder({ chatty });
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields)}`);
    const host = await BelfryHost.start({ file, env: {}, clock: new ManualClock(START), logger: { info: record, warn: record, error: record } });
    hosts.push(host);
    expect(lines.join('\n')).toContain('cannot reach redis://app:***@cache:6379 {"url":"postgres://u:***@db/x","nested":[{"dsn":"u:***@db"}]}');
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
