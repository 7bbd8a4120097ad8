import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDemo } from './demo-process.js';

async function failure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const demo = startDemo(env);
  const code = await demo.exited;
  return { code, output: demo.output() };
}

/** A copy of the demo's settings and plugins that a test may break. */
function demoCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-demo-copy-'));
  cpSync(resolve(__dirname, '../belfry.config.toml'), join(dir, 'belfry.config.toml'));
  cpSync(resolve(__dirname, '../plugins'), join(dir, 'plugins'), { recursive: true });
  change(dir);
  return join(dir, 'belfry.config.toml');
}

function expectCleanFailure(result: { code: number | null; output: string }, ...needles: string[]): void {
  expect(result.code).toBe(1);
  expect(result.output).toContain('belfry: cannot start: ');
  for (const needle of needles) expect(result.output).toContain(needle);
  expect(result.output).not.toMatch(/^\s+at /m);
}

describe.concurrent('the demo host refuses bad configuration', () => {
  it('an unknown backend', async () => {
    expectCleanFailure(await failure({ BELFRY_LOCKING: 'etcd' }), 'BELFRY_LOCKING (environment): unknown lock backend "etcd"');
  });

  it('a BELFRY_PORT that is not a port, before the host starts', async () => {
    const result = await failure({ BELFRY_PORT: 'eighty' });
    expectCleanFailure(result, 'BELFRY_PORT (environment): "eighty" is not a port number. Fix: set it to an integer from 0 to 65535');
    expect(result.output).not.toContain('started');
  });

  it('a weak BELFRY_DASHBOARD_TOKEN, before the host starts and without showing it', async () => {
    const result = await failure({ BELFRY_DASHBOARD_TOKEN: 'letmein' });
    expectCleanFailure(result, 'BELFRY_DASHBOARD_TOKEN (environment): a token of 7 characters is too weak.');
    expect(result.output).not.toContain('letmein');
    expect(result.output).not.toContain('started');
  });

  it('a [dashboard] port of the wrong kind, naming the file and key', async () => {
    const file = demoCopy((dir) => writeFileSync(join(dir, 'belfry.config.toml'), '[dashboard]\nport = "http"\n'));
    expectCleanFailure(await failure({ BELFRY_CONFIG: file, BELFRY_PORT: '' }), `${file}: invalid settings:`, '[dashboard] port: ');
  });

  it('an unreachable Redis, without showing its password', async () => {
    const result = await failure({ BELFRY_LOCKING: 'redis', REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    expectCleanFailure(result, 'lock backend "redis" at redis://:***@127.0.0.1:1 is not usable');
    expect(result.output).not.toContain('hunter2');
  });

  it('an unreachable PostgreSQL, without showing its password', async () => {
    const result = await failure({ BELFRY_LOCKING: 'pg', DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/test' });
    expectCleanFailure(result, 'lock backend "pg" at postgres://app:***@127.0.0.1:1/test is not usable');
    expect(result.output).not.toContain('hunter2');
  });

  it('an invalid manifest, with its file and line', async () => {
    const file = demoCopy((dir) => {
      const toml = join(dir, 'plugins/heartbeat/plugin.toml');
      writeFileSync(toml, readFileSync(toml, 'utf8').replace('cron = "5s"', 'cron = "5 parsecs"'));
    });
    expectCleanFailure(await failure({ BELFRY_CONFIG: file }), 'plugins/heartbeat/plugin.toml:', 'no plugin was loaded');
  });

  it('a duplicate plugin id, naming both files', async () => {
    const file = demoCopy((dir) => {
      mkdirSync(join(dir, 'plugins/heartbeat-copy'));
      cpSync(join(dir, 'plugins/heartbeat'), join(dir, 'plugins/heartbeat-copy'), { recursive: true });
    });
    expectCleanFailure(await failure({ BELFRY_CONFIG: file }), 'plugins/heartbeat/plugin.toml', 'plugins/heartbeat-copy/plugin.toml');
  });

  it('an unknown settings key, with a suggestion', async () => {
    const file = demoCopy((dir) => writeFileSync(join(dir, 'belfry.config.toml'), '[dashboard]\nprot = 4600\n'));
    expectCleanFailure(await failure({ BELFRY_CONFIG: file }), 'unknown key "prot" in [dashboard]; did you mean "port"?');
  });
});
