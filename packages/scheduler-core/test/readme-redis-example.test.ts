import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const coreDist = join(packageDir, 'dist/index.js');
const redisDist = join(packageDir, '../locking-redis/dist/index.js');
const work = mkdtempSync(join(tmpdir(), 'belfry-readme-'));

/** The README's one code block that uses RedisLocking, with imports pointed at the built packages. */
function redisExample(pluginName: string): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1] as string);
  const example = blocks.filter((block) => block.includes("from '@belfry/locking-redis'"));
  expect(example, 'the README shows one example with RedisLocking').toHaveLength(1);
  return (example[0] as string)
    .replace("'@belfry/scheduler-core'", JSON.stringify(pathToFileURL(coreDist).href))
    .replace("'@belfry/locking-redis'", JSON.stringify(pathToFileURL(redisDist).href))
    .replaceAll("'reports'", JSON.stringify(pluginName));
}

describe('README: scheduler with RedisLocking', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs, and the process exits by itself after SIGTERM stops the scheduler and closes the backend', async () => {
    for (const built of [coreDist, redisDist]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run pnpm build first`);
    }
    const file = join(work, 'example.mjs');
    writeFileSync(file, redisExample(`readme-${process.pid}-${Date.now()}`));
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', BELFRY_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && stdout.includes('heartbeat for ')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Hang guard only: the example runs and exits in about 2 s.
    const guard = new Promise<string>((resolve) => setTimeout(() => resolve('still running after 40 s'), 40_000));
    const outcome = await Promise.race([exited, guard]);
    if (typeof outcome === 'string') child.kill('SIGKILL');
    expect(outcome, `stdout:\n${stdout}\nstderr:\n${stderr}`).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('heartbeat for ');
    expect(stdout).toContain('stopped; Redis connection closed');
  }, 60_000);
});
