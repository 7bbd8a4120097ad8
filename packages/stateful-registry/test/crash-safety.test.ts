import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSnapshotStore, type CorruptSnapshotFile } from '../src/index.js';
import { payloadFor, stepOf } from './support/crash-payload.mjs';
import { recordingLogger } from './support/test-plugins.js';

const writer = resolve(__dirname, 'support/crash-writer.mjs');
const MAX_KILLS = 200;
const BUDGET_MS = 40_000;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts a writer, waits until it is saving, kills it with SIGKILL after `delayMs`, and returns the last step it acknowledged. */
async function runAndKill(dir: string, delayMs: number): Promise<{ ready: number; lastAck: number | undefined; stderr: string }> {
  const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  let ready: number | undefined;
  const exited = new Promise<void>((done) => child.on('close', () => done()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((started) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^ready (\d+)$/m.exec(out);
      if (ready === undefined && match !== null) {
        ready = Number(match[1]);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
        started();
      }
    });
    child.on('close', () => started());
  });
  await exited;
  const acks = [...out.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
  return { ready: ready ?? -1, lastAck: acks.at(-1), stderr };
}

describe('FileSnapshotStore under SIGKILL (real processes, real files)', () => {
  it(
    'after every kill, load yields the last acknowledged snapshot or the one being written, intact, never a mix and never neither',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'belfry-crash-'));
      dirs.push(dir);
      const corrupt: CorruptSnapshotFile[] = [];
      const started = Date.now();
      let kills = 0;
      let state = 0;
      let advancedBy = 0;
      while (kills < MAX_KILLS && Date.now() - started < BUDGET_MS) {
        const delayMs = Math.floor(Math.random() * 25);
        const run = await runAndKill(dir, delayMs);
        expect(run.stderr, `writer ${kills + 1} wrote to stderr`).toBe('');
        expect(run.ready, `writer ${kills + 1} resumed from step ${run.ready}, the previous load saw ${state}`).toBe(state);
        kills += 1;

        const store = new FileSnapshotStore({ dir, logger: recordingLogger(), onCorruptFile: (file) => corrupt.push(file) });
        const loaded = await store.load('crash');
        const acknowledged = run.lastAck ?? state;
        if (loaded === null) {
          expect(acknowledged, `kill ${kills} (after ${delayMs} ms): nothing loads although step ${acknowledged} was acknowledged`).toBe(0);
          continue;
        }
        const step = stepOf(loaded);
        expect(step.broken, `kill ${kills} (after ${delayMs} ms): the loaded snapshot is broken`).toBeUndefined();
        expect([acknowledged, acknowledged + 1], `kill ${kills} (after ${delayMs} ms): loaded step ${step.seq}`).toContain(step.seq);
        advancedBy += step.seq! - state;
        state = step.seq!;
      }
      expect(corrupt).toEqual([]);
      expect(kills).toBeGreaterThanOrEqual(Math.min(MAX_KILLS, 20));
      expect(advancedBy, 'the writers made progress between kills').toBeGreaterThan(0);
      // A kill between writing a generation and pruning the oldest leaves one extra; the next save prunes it.
      const killedWith = readdirSync(dir).filter((name) => name.endsWith('.snap')).length;
      expect(killedWith).toBeLessThanOrEqual(3);
      await new FileSnapshotStore({ dir, logger: recordingLogger() }).save(payloadFor(state + 1));
      const leftovers = readdirSync(dir).filter((name) => name.endsWith('.snap'));
      expect(leftovers.length).toBeLessThanOrEqual(2);
      console.info(`crash safety: ${kills} SIGKILLs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${state} steps saved`);
    },
    BUDGET_MS + 30_000,
  );
});
