import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES, HANG_GUARD_MS, LANGUAGES, pidAlive, waitFor } from './support/harness.js';

test('when the host is killed with SIGKILL, no poller process outlives it (long-lived, ephemeral, Node, Python, grandchildren)', async () => {
  // The fixture imports the built package, as a real host would.
  const host = spawn(process.execPath, [join(FIXTURES, 'host.mjs'), LANGUAGES[0].folder, LANGUAGES[1].folder], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  host.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  try {
    await waitFor(() => output.includes('\n') || host.exitCode !== null, 'the host to start its pollers');
    const { pids, outcomes } = JSON.parse(output) as { pids: number[]; outcomes: string[] };
    expect(outcomes).toEqual(['ok', 'ok']);
    expect(pids).toHaveLength(6);
    expect(pids.every((pid) => Number.isInteger(pid) && pidAlive(pid))).toBe(true);
    host.kill('SIGKILL');
    await waitFor(() => pids.every((pid) => !pidAlive(pid)), () => `every poller pid to exit (alive: ${pids.filter(pidAlive).join(', ')})`);
  } finally {
    host.kill('SIGKILL');
  }
}, HANG_GUARD_MS * 3);
