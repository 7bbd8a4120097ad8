import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@belfry/scheduler-core';
import { runHost, type HostProcess } from '../src/index.js';
import { hostFolder, manifest } from './plugin-folder.js';

function fakeProcess() {
  const listeners = new Map<string, () => void>();
  const exits: number[] = [];
  let stderr = '';
  const proc: HostProcess = {
    on: (signal, listener) => listeners.set(signal, listener),
    exit: (code) => void exits.push(code),
    stderr: { write: (text: string) => (stderr += text) },
  };
  return { proc, exits, signal: (name: string) => listeners.get(name)!(), stderr: () => stderr };
}

const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const slow = {
  toml: manifest('slow', ['scheduled'], '[[plugin.schedules]]\nid = "work"\ncron = "10s"\nlocking = "node_local"\n'),
  entry: 'export default { run(ctx) { return new Promise((resolve) => ctx.signal.addEventListener("abort", resolve)); } };',
};

describe('runHost', () => {
  it('prints the reason and exits 1 when the host cannot start, without a stack trace', async () => {
    const { proc, exits, stderr } = fakeProcess();
    const { file } = hostFolder({}, '[locking]\nbackend = "zookeeper"\n');
    expect(await runHost({ file, env: {}, logger: quiet() }, proc)).toBeUndefined();
    expect(exits).toEqual([1]);
    expect(stderr()).toMatch(/^belfry: cannot start: .*belfry\.config\.toml: \[locking\] backend: unknown lock backend "zookeeper"; Fix: /);
    expect(stderr()).not.toMatch(/^\s+at /m);
  });

  it('stops gracefully on the first signal and exits 0, and exits at once with 130 on a second', async () => {
    const { proc, exits, signal } = fakeProcess();
    const { file } = hostFolder({ slow });
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const host = (await runHost({ file, env: {}, clock, logger: quiet() }, proc))!;
    await clock.advance(10_000);
    expect(host.status().scheduler.schedules[0]!.running).toBe(true);

    signal('SIGTERM');
    expect(exits).toEqual([]);
    signal('SIGINT');
    expect(exits).toEqual([130]);
    // The graceful stop still completes: the grace period passes, the run is aborted, then exit 0.
    await clock.advance(host.config.shutdownGraceMs);
    await vi.waitFor(() => expect(exits).toEqual([130, 0]));
  });
});
