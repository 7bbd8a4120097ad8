import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../src/first-invalid-utf8.js';
import { readRegularFile } from '../src/read-regular-file.js';

const WRITER_DELAY_MS = 5_000;
const scratch = mkdtempSync(join(tmpdir(), 'belfry-read-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readRegularFile', () => {
  it('reads a small file whole', () => {
    const file = join(scratch, 'small.txt');
    writeFileSync(file, 'hello');
    expect(Buffer.from(readRegularFile(file, 100)).toString()).toBe('hello');
  });

  it('stops one byte past the limit, however large the file is', () => {
    const file = join(scratch, 'large.bin');
    writeFileSync(file, Buffer.alloc(300_000, 1));
    expect(readRegularFile(file, 100_000)).toHaveLength(100_001);
  });

  it.each([
    ['/dev/zero', 'a character device'],
    [scratch, 'a folder'],
  ])('refuses %s as %s before reading it', (path, kind) => {
    expect(() => readRegularFile(path, 10)).toThrow(`${kind}, not a regular file`);
  });

  it('refuses a named pipe without waiting for a writer', () => {
    const fifo = join(scratch, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // Should the open block, this writer frees it after 5 s, so the run fails on time instead of hanging;
    // a refusal takes about a millisecond.
    const writer = spawn('sh', ['-c', `sleep ${WRITER_DELAY_MS / 1000}; : > '${fifo}'`], { stdio: 'ignore' });
    const started = Date.now();
    try {
      expect(() => readRegularFile(fifo, 10)).toThrow('a named pipe, not a regular file');
      expect(Date.now() - started, 'the open waited for a writer').toBeLessThan(WRITER_DELAY_MS);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('throws the system error of a missing file', () => {
    expect(() => readRegularFile(join(scratch, 'nope'), 10)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x61, 0xe9, 0x62], { offset: 1, length: 1 }],
    [[0xc0, 0xaf], { offset: 0, length: 1 }],
    [[0x61, 0xed, 0xa0, 0x80], { offset: 1, length: 1 }],
    [[0xe2, 0x82], { offset: 0, length: 2 }],
    [[0x68, 0xc3, 0xa9], { offset: 3, length: 0 }],
  ])('finds the first ill-formed sequence in %j', (bytes, found) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toEqual(found);
  });
});
