import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_PASSWORD, hostilePgUrls, hostileRedisUrls } from '@belfry/internal/testing';
import { startDemo } from './demo-process.js';

const SECRET = HOSTILE_PASSWORD.slice(0, 6);
const plugins = resolve(__dirname, '../plugins');

/** Demo settings with `locking` as the [locking] table's body. */
function settingsWith(locking: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-demo-secrets-'));
  const file = join(dir, 'belfry.config.toml');
  writeFileSync(file, `[host]\nplugins_dir = ${JSON.stringify(plugins)}\n[locking]\n${locking}\n`);
  return file;
}

interface Start {
  url: string;
  where: string;
  env: Record<string, string>;
}

const cases: Start[] = [
  ...hostileRedisUrls.flatMap((url): Start[] => [
    { url, where: 'REDIS_URL', env: { BELFRY_LOCKING: 'redis', REDIS_URL: url } },
    { url, where: 'redis_url', env: { BELFRY_CONFIG: settingsWith(`backend = "redis"\nredis_url = ${JSON.stringify(url)}`) } },
    { url, where: 'a redis_url list', env: { BELFRY_CONFIG: settingsWith(`backend = "redis"\nredis_url = ${JSON.stringify(['redis://127.0.0.1:2', url])}`) } },
  ]),
  ...hostilePgUrls.flatMap((url): Start[] => [
    { url, where: 'DATABASE_URL', env: { BELFRY_LOCKING: 'pg', DATABASE_URL: url } },
    { url, where: 'database_url', env: { BELFRY_CONFIG: settingsWith(`backend = "pg"\ndatabase_url = ${JSON.stringify(url)}`) } },
  ]),
];

/** Runs `work` over `items`, at most `limit` at a time: each item is a process start. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe('the demo process never prints a password', () => {
  it(`refuses every hostile URL (${cases.length} starts) without printing ${SECRET}`, async () => {
    const results = await inBatches(cases, 4, async ({ url, where, env }) => {
      const demo = startDemo(env);
      // A start that is not refused runs until killed; the guard is far above the ~0.5 s a refusal takes.
      const guard = setTimeout(() => demo.child.kill('SIGKILL'), 20_000);
      const code = await demo.exited;
      clearTimeout(guard);
      const output = demo.output();
      return { url, where, code, leaks: output.split(SECRET).length - 1, output };
    });
    const leaking = results.filter((r) => r.leaks > 0);
    console.log(`${results.length} starts, ${leaking.length} printed the password, ${leaking.reduce((n, r) => n + r.leaks, 0)} times in all`);
    expect(leaking.map(({ url, where, output }) => ({ url, where, output }))).toEqual([]);
    expect(results.filter((r) => r.code !== 1).map(({ url, where, code }) => ({ url, where, code }))).toEqual([]);
    for (const result of results) expect(result.output).toMatch(/^belfry: cannot start: /m);
  }, 240_000);
});
