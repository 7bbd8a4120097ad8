import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_MANIFEST_LENGTH } from '../src/index.js';
import { readManifestFile } from '../src/read-manifest-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'belfry-manifest-read-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes bytes given as text plus `\xNN` escapes for the raw bytes. */
function fileOf(name: string, ...parts: (string | number[])[]): string {
  const path = join(scratch, name);
  writeFileSync(path, Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part)))));
  return path;
}

describe('readManifestFile refuses what is not a regular file, before reading it', () => {
  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const path = join(scratch, 'pipe.toml');
    execFileSync('mkfifo', [path]);
    await expect(readManifestFile(path)).rejects.toThrow('a named pipe, not a regular file');
  });

  it('refuses /dev/zero by its type, so not one byte of it is read', async () => {
    await expect(readManifestFile('/dev/zero')).rejects.toThrow('a character device, not a regular file');
  });

  it('refuses a directory', async () => {
    await expect(readManifestFile(scratch)).rejects.toThrow('a folder, not a regular file');
  });

  it('passes on the system error of a missing file', async () => {
    await expect(readManifestFile(join(scratch, 'nope.toml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readManifestFile stops at the size limit', () => {
  it('reads one byte past MAX_MANIFEST_LENGTH of a 10 MB file, then reports file_too_large', async () => {
    const path = fileOf('big.toml', 'x'.repeat(10 * 1024 * 1024));
    const read = await readManifestFile(path);
    expect(read.bytesRead).toBe(MAX_MANIFEST_LENGTH + 1);
    expect(read.problem).toMatchObject({ tier: 'syntax', code: 'file_too_large', path: '', line: 1, column: 1 });
    expect(read.problem?.message).toContain(`more than ${MAX_MANIFEST_LENGTH} bytes`);
  });

  it('reads a file of exactly MAX_MANIFEST_LENGTH bytes whole', async () => {
    const path = fileOf('limit.toml', `# ${'x'.repeat(MAX_MANIFEST_LENGTH - 3)}\n`);
    const read = await readManifestFile(path);
    expect(read.bytesRead).toBe(MAX_MANIFEST_LENGTH);
    expect(read.problem).toBeUndefined();
    expect(read.text.length).toBe(MAX_MANIFEST_LENGTH);
  });
});

describe('readManifestFile decodes UTF-8 strictly', () => {
  it('returns the text of a UTF-8 file, a literal U+FFFD included', async () => {
    const read = await readManifestFile(fileOf('ok.toml', '[plugin]\nname = "Grüße \uFFFD 𝄞"\n'));
    expect(read).toEqual({ text: '[plugin]\nname = "Grüße \uFFFD 𝄞"\n', bytesRead: 35 });
  });

  it('reports the line and column of the first byte that is not UTF-8, in the table it sits in', async () => {
    const read = await readManifestFile(fileOf('bad.toml', '[plugin]\nid = "ab', [0xff], 'c"\nname = "', [0xfe], '"\n'));
    expect(read.problem).toMatchObject({ tier: 'syntax', severity: 'error', code: 'invalid_utf8', path: 'plugin', line: 2, column: 9 });
    expect(read.problem?.message).toContain('the byte 0xFF here does not begin a character');
    // The text is still returned, each bad byte shown as U+FFFD, so a code frame can point at it.
    expect(read.text).toBe('[plugin]\nid = "ab\uFFFDc"\nname = "\uFFFD"\n');
  });

  it('counts columns in UTF-16 code units after multi-byte characters, without the byte-order mark', async () => {
    const read = await readManifestFile(fileOf('columns.toml', '\uFEFFx = "ü𝄞', [0xe2, 0x82], '"\n'));
    expect(read.problem).toMatchObject({ code: 'invalid_utf8', path: '', line: 1, column: 9 });
    expect(read.problem?.message).toContain('the bytes 0xE2 0x82 here do not begin a character');
  });

  it.each([
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lone continuation byte', [0x80]],
    ['a sequence cut off by the end of the file', [0xf0, 0x9d, 0x84]],
  ])('finds %s', async (_, bytes) => {
    const read = await readManifestFile(fileOf('seq.toml', '[plugin.metadata]\nk = "', bytes));
    expect(read.problem).toMatchObject({ code: 'invalid_utf8', path: 'plugin.metadata', line: 2, column: 6 });
  });
});
