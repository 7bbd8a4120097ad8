import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
/** A cached build and a shutdown take a few seconds; a hang is many times that. */
const HANG_GUARD_MS = 60_000;

const groups: number[] = [];
afterAll(() => {
  // Whatever the outcome, nothing started here outlives the tests.
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `./scripts/dev demo` in its own process group, waits for the dashboard URL, then runs `stop` on it. */
function devDemo(stop: (pid: number) => void): Promise<Stopped> {
  const env: NodeJS.ProcessEnv = { ...process.env, BELFRY_PORT: '0', BELFRY_STATE_DIR: mkdtempSync(join(tmpdir(), 'belfry-dev-demo-')) };
  for (const name of ['BELFRY_LOCKING', 'BELFRY_CONFIG', 'BELFRY_LOG_LEVEL']) delete env[name];
  const child = spawn('bash', [join(root, 'scripts/dev'), 'demo'], {
    cwd: root,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  groups.push(child.pid!);
  let stdout = '';
  let stderr = '';
  let stopped = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!stopped && /Belfry dashboard: http:\/\//.test(stdout)) {
      stopped = true;
      stop(child.pid!);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    const guard = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      fail(new Error(`scripts/dev demo did not exit within ${HANG_GUARD_MS} ms (stopped: ${stopped})\n${stdout}\n${stderr}`));
    }, HANG_GUARD_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      // The host is the command (exec): a clean exit leaves nothing of the group behind.
      if (code === 0) groups.splice(groups.indexOf(child.pid!), 1);
      done({ code, signal, stdout, stderr });
    });
  });
}

function expectCleanExit(result: Stopped): void {
  expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  const output = result.stdout + result.stderr;
  expect(output).toContain('stopped');
  expect(output).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed|Error/);
}

describe('./scripts/dev demo', () => {
  it('exits 0 without error text on Ctrl-C (SIGINT to its process group)', async () => {
    expectCleanExit(await devDemo((pid) => process.kill(-pid, 'SIGINT')));
  });

  it('exits 0 on SIGTERM to its own pid', async () => {
    expectCleanExit(await devDemo((pid) => process.kill(pid, 'SIGTERM')));
  });

  it('exits 0 on SIGINT to its own pid', async () => {
    expectCleanExit(await devDemo((pid) => process.kill(pid, 'SIGINT')));
  });
});
