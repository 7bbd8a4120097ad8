import * as nodeFs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSnapshotStore, type SnapshotFileHandle, type SnapshotFs } from '../src/index.js';
import { decodeEnvelope } from '../src/envelope-tools.js';
import { recordingLogger } from './support/test-plugins.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-disk-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The real node:fs, passing every call through while noting its order. */
function tracingFs(dir: string): { fs: SnapshotFs; calls: string[] } {
  const calls: string[] = [];
  const short = (path: string) => (path === dir ? '<dir>' : path.slice(dir.length + 1).replace(/tmp-[0-9a-f]+$/, 'tmp-*'));
  const p = nodeFs.promises;
  const traced = (path: string, handle: SnapshotFileHandle): SnapshotFileHandle => ({
    write: (buffer, offset, length, position) => (calls.push(`write ${short(path)}`), handle.write(buffer, offset, length, position)),
    datasync: () => (calls.push(`datasync ${short(path)}`), handle.datasync()),
    sync: () => (calls.push(`fsync ${short(path)}`), handle.sync!()),
    close: () => handle.close(),
  });
  const fs: SnapshotFs = {
    promises: {
      mkdir: (path, options) => (calls.push(`mkdir ${short(path)}`), p.mkdir(path, options)),
      readdir: (path) => p.readdir(path),
      readFile: (path) => p.readFile(path),
      open: async (path, flags) => (calls.push(`open ${short(path)} ${flags}`), traced(path, await p.open(path, flags))),
      rename: (from, to) => (calls.push(`rename ${short(from)} -> ${short(to)}`), p.rename(from, to)),
      unlink: (path) => (calls.push(`unlink ${short(path)}`), p.unlink(path)),
    },
  };
  return { fs, calls };
}

describe('FileSnapshotStore on the real file system', () => {
  it('writes a temp file, flushes it, renames it, flushes the folder, and only then removes the oldest generation', async () => {
    const dir = freshDir();
    const { fs, calls } = tracingFs(dir);
    const store = new FileSnapshotStore({ dir, fs });
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([1]) });
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([2]) });
    calls.length = 0;
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([3]) });
    expect(calls).toEqual([
      'open job.3.snap.tmp-* wx',
      'write job.3.snap.tmp-*',
      'datasync job.3.snap.tmp-*',
      'rename job.3.snap.tmp-* -> job.3.snap',
      'open <dir> r',
      'fsync <dir>',
      'unlink job.1.snap',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['job.2.snap', 'job.3.snap']);
  });

  it('makes a folder it creates durable too, by flushing every parent that gained an entry, before the first save resolves', async () => {
    const root = freshDir();
    const { fs, calls } = tracingFs(root);
    const store = new FileSnapshotStore({ dir: join(root, 'state', 'snapshots'), fs });
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([1]) });
    expect(calls).toEqual([
      'mkdir state/snapshots',
      'open <dir> r',
      'fsync <dir>',
      'open state r',
      'fsync state',
      'open state/snapshots/job.1.snap.tmp-* wx',
      'write state/snapshots/job.1.snap.tmp-*',
      'datasync state/snapshots/job.1.snap.tmp-*',
      'rename state/snapshots/job.1.snap.tmp-* -> state/snapshots/job.1.snap',
      'open state/snapshots r',
      'fsync state/snapshots',
    ]);
    calls.length = 0;
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([2]) });
    expect(calls.filter((call) => call.startsWith('mkdir') || call === 'fsync <dir>' || call === 'fsync state')).toEqual([]);
  });

  it('leaves files a second instance — a restarted process — reads back exactly', async () => {
    const dir = freshDir();
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
    await new FileSnapshotStore({ dir }).save({ id: 'big', version: 4, bytes });
    const decoded = decodeEnvelope(readFileSync(join(dir, 'big.1.snap')));
    expect(decoded.ok).toBe(true);
    expect(await new FileSnapshotStore({ dir }).load('big')).toEqual({ id: 'big', version: 4, bytes });
  });

  it('moves a damaged file aside on disk and loads the previous generation', async () => {
    const dir = freshDir();
    const logger = recordingLogger();
    const store = new FileSnapshotStore({ dir, logger });
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([1, 1]) });
    await store.save({ id: 'job', version: 1, bytes: new Uint8Array([2, 2]) });
    writeFileSync(join(dir, 'job.2.snap'), readFileSync(join(dir, 'job.2.snap')).subarray(0, 30));
    expect(await store.load('job')).toEqual({ id: 'job', version: 1, bytes: new Uint8Array([1, 1]) });
    expect(readdirSync(dir).sort()).toEqual(['job.1.snap', expect.stringMatching(/^job\.2\.snap\.corrupt-\d+$/)]);
    expect(logger.lines[0]?.fields).toMatchObject({ id: 'job', path: join(dir, 'job.2.snap') });
  });
});
