import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const mainJs = resolve(__dirname, '../dist/main.js');

/** A demo host process started for a test, with its output collected. */
export interface DemoProcess {
  child: ChildProcess;
  stateDir: string;
  output(): string;
  /** Resolves with the dashboard URL once the host prints it. */
  url: Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function startDemo(env: Record<string, string> = {}): DemoProcess {
  const stateDir = mkdtempSync(join(tmpdir(), 'belfry-demo-state-'));
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, BELFRY_PORT: '0', BELFRY_STATE_DIR: stateDir, BELFRY_LOCKING: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = new Promise<string>((done, fail) => {
    const look = (): void => {
      const match = /Belfry dashboard: (\S+)/.exec(output);
      if (match) done(match[1]!);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => fail(new Error(`demo exited with ${code} before serving:\n${output}`)));
  });
  url.catch(() => {}); // failing starts are asserted through `exited`
  return { child, stateDir, output: () => output, url, exited };
}

/** Polls `probe` until it returns a value, failing after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
