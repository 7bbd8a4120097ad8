import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PgLocking, type PgLockMode } from '../src/index.js';
import { DATABASE_URL, dropLockTable, uniqueName } from './database.js';

interface Hold {
  key: string;
  fence: number;
  start: string;
  end: string;
  abandoned: boolean;
}

const worker = fileURLToPath(new URL('./stress-worker.mjs', import.meta.url));
const table = uniqueName('stress');
afterAll(() => dropLockTable(table));

function runWorker(config: object): Promise<{ holds: Hold[]; contended: number; failed: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: { holds: Hold[]; contended: number; failed: number } | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('message', (message) => {
      report = message as typeof report;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (report !== undefined) resolve(report);
      else reject(new Error(`stress worker exited with ${String(code)} without a report`));
    });
  });
}

describe.each<[PgLockMode]>([['lease'], ['advisory']])('%s mode under load from four processes', (mode) => {
  it('never lets two holds of a key overlap, and fences increase in the order of holding', async () => {
    const locking = new PgLocking({ connectionString: DATABASE_URL, mode, table });
    await locking.setup();
    await locking.cleanup();
    const config = { connectionString: DATABASE_URL, mode, table, keyPrefix: `${uniqueName('stress')}:`, keys: ['a', 'b', 'c'], durationMs: 2500, ttlMs: 400 };
    const reports = await Promise.all(Array.from({ length: 4 }, () => runWorker(config)));
    const holds = reports.flatMap((report) => report.holds);

    for (const key of config.keys) {
      const ofKey = holds.filter((hold) => hold.key === key).sort((a, b) => a.fence - b.fence);
      expect(ofKey.length).toBeGreaterThan(10);
      for (let i = 1; i < ofKey.length; i += 1) {
        const previous = ofKey[i - 1]!;
        const current = ofKey[i]!;
        expect(current.fence, `fences of ${key} repeat`).toBeGreaterThan(previous.fence);
        // Sorted by fence, each hold must begin after the one before it ended.
        expect(BigInt(current.start) >= BigInt(previous.end), `holds ${previous.fence} and ${current.fence} of ${key} overlap`).toBe(true);
      }
    }
    expect(reports.every((report) => report.holds.length > 0)).toBe(true);
    // Calls that exceeded their bound on a saturated machine are allowed, but they stay the exception.
    const calls = reports.reduce((sum, report) => sum + report.holds.length + report.contended + report.failed, 0);
    expect(reports.reduce((sum, report) => sum + report.failed, 0)).toBeLessThan(calls / 10);
    expect(reports.reduce((sum, report) => sum + report.contended, 0)).toBeGreaterThan(0);
  }, 60_000);
});
