import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REDIS_URL, startRedisServer, type RedisServer } from './support/redis-server.js';

interface Hold {
  key: string;
  fence: number;
  start: string;
  end: string;
}

const worker = fileURLToPath(new URL('./stress-worker.mjs', import.meta.url));

function runWorker(config: object): Promise<{ holds: Hold[]; contended: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: { holds: Hold[]; contended: number } | undefined;
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

let servers: RedisServer[] = [];
beforeAll(async () => {
  servers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe.each([
  ['one server', () => [REDIS_URL]],
  ['a quorum of three', () => servers.map((server) => server.url)],
])('RedisLocking on %s under load from four processes', (_, urls) => {
  test('never lets two holds of a key overlap, and fences increase in the order of holding', async () => {
    const config = { urls: urls(), keyPrefix: `belfry-stress:${randomUUID()}:`, keys: ['a', 'b', 'c'], durationMs: 2000, ttlMs: 300 };
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
    expect(reports.reduce((sum, report) => sum + report.contended, 0)).toBeGreaterThan(0);
  }, 60_000);
});
