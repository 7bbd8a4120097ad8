import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> };
const bin = join(root, packageJson.bin['belfry-manifest'] as string);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/*
 * A run takes about 0.3 s; a run still going after 15 s hangs (a file that
 * never ends, a pipe with no writer) and is killed, so it fails, not blocks.
 */
const HANG_GUARD_MS = 15_000;

function run(args: string[], env: Record<string, string> = {}, cwd = root): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: HANG_GUARD_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the binary with a pseudo-terminal as stdout, through util-linux `script`. */
function runOnTty(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: root, env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'belfry-manifest-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('belfry-manifest validate', () => {
  it('exits 0 and prints a summary when every manifest is valid', async () => {
    const result = await run(['validate', 'fixtures/valid/*.toml']);
    expect(result).toEqual({ code: 0, stdout: '4 manifests valid\n', stderr: '' });
  });

  it('exits 1 and prints a code frame with a caret under the column', async () => {
    const result = await run(['validate', 'fixtures/invalid/unknown-keys.toml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      [
        'error[schema/unknown_key] Unknown key "broker_topic_prefx" in [plugin.poller]. Did you mean "broker_topic_prefix"?',
        '  --> fixtures/invalid/unknown-keys.toml:12:1 (plugin.poller.broker_topic_prefx)',
        '11 | kinds = ["rss"]',
        '12 | broker_topic_prefx = "typos"',
        '   | ^',
      ].join('\n'),
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('6 errors in 1 of 1 manifest');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('places the caret under a value in the middle of a line', async () => {
    const result = await run(['validate', 'fixtures/invalid/poller-rules.toml']);
    expect(result.stdout).toContain('10 | kinds = ["rss", "x", "9lives", "rss"]\n   |                 ^');
  });

  it('checks the files as one set and reports conflicts naming both files', async () => {
    const result = await run(['validate', 'fixtures/set/a.toml', 'fixtures/set/b.toml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('declared by both fixtures/set/a.toml:2:6 and fixtures/set/b.toml:2:6');
    expect(result.stdout).toContain('2 errors in 1 of 2 manifests');
  });

  it('with --json prints only the diagnostics array', async () => {
    const result = await run(['validate', '--json', 'fixtures/set/*.toml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as Diagnostic[];
    expect(parsed).toEqual(JSON.parse(readFileSync(`${root}fixtures/set/set.expected.json`, 'utf8')));
  });

  it('with --json prints [] and exits 0 for valid manifests', async () => {
    const result = await run(['validate', 'fixtures/valid/minimal.toml', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('checks api_version against --host-api', async () => {
    const tooNew = 'fixtures/invalid/api-version-too-new.toml';
    expect((await run(['validate', tooNew])).code).toBe(1);
    expect(await run(['validate', tooNew, '--host-api', '2.4.0'])).toMatchObject({ code: 0, stdout: '1 manifest valid\n' });
  });

  it('reports warnings in the summary without failing', async () => {
    const file = join(scratch, 'warn.toml');
    writeFileSync(file, readFileSync(`${root}fixtures/valid/minimal.toml`, 'utf8').replace('["lifecycle"]', '["lifecycle", "lifecycle"]'));
    const result = await run(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning[semantics/duplicate_capability]');
    expect(result.stdout.trimEnd().endsWith('1 manifest valid, 1 warning')).toBe(true);
  });

  it('colours its output on a terminal', async () => {
    const result = await runOnTty(['validate', 'fixtures/invalid/versions.toml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('\u001b[31merror\u001b[0m');
  });

  it('does not colour on a terminal when NO_COLOR is set', async () => {
    const result = await runOnTty(['validate', 'fixtures/invalid/versions.toml'], { NO_COLOR: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error[semantics/invalid_semver]');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('reports bytes that are not UTF-8 as a syntax error at their line and column, and checks the other files', async () => {
    const dir = join(scratch, 'latin1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.toml'), Buffer.from('[plugin]\nid = "caf\xe9"\n', 'latin1'));
    writeFileSync(join(dir, 'good.toml'), readFileSync(`${root}fixtures/valid/minimal.toml`, 'utf8'));
    const result = await run(['validate', 'bad.toml', 'good.toml'], {}, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error[syntax/invalid_utf8]');
    expect(result.stdout).toContain('  --> bad.toml:2:10 (plugin)\n1 | [plugin]\n2 | id = "caf\uFFFD"\n  |          ^');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 error in 1 of 2 manifests');
    const json = await run(['validate', '--json', 'bad.toml', 'good.toml'], {}, dir);
    expect(JSON.parse(json.stdout)).toMatchObject([{ tier: 'syntax', code: 'invalid_utf8', path: 'plugin', file: 'bad.toml', line: 2, column: 10 }]);
  });

  it('reports a file larger than the limit as file_too_large', async () => {
    const file = join(scratch, 'huge.toml');
    writeFileSync(file, `[plugin.metadata]\n${'k = 1\n'.repeat(2_000_000)}`);
    const result = await run(['validate', '--json', file]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject([{ tier: 'syntax', code: 'file_too_large', line: 1, column: 1 }]);
  });

  it('never prints a control character from the manifest into the terminal', async () => {
    const file = join(scratch, 'escape.toml');
    writeFileSync(file, '[plugin]\nid = "\u001b[2J"\n');
    const result = await run(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u001b');
  });
});

describe('belfry-manifest bad usage exits 2', () => {
  it.each([
    ['an unknown flag', ['validate', '--strict', 'fixtures/valid/minimal.toml'], "Unknown option '--strict'"],
    ['no files', ['validate'], 'no manifest files given'],
    ['no command', [], 'no command given'],
    ['an unknown command', ['check', 'x.toml'], 'unknown command "check"'],
    ['a missing file', ['validate', 'fixtures/valid/nope.toml'], 'cannot read "fixtures/valid/nope.toml" (ENOENT)'],
    ['a directory', ['validate', 'fixtures'], 'cannot read "fixtures" (a folder, not a regular file)'],
    ['a device', ['validate', '/dev/zero'], 'cannot read "/dev/zero" (a character device, not a regular file)'],
    ['a glob that matches nothing', ['validate', 'fixtures/**/*.yaml'], '"fixtures/**/*.yaml" matched no files'],
    ['a host version that is not semver', ['validate', '--host-api', 'two', 'fixtures/valid/minimal.toml'], '--host-api must be a semver version'],
    ['--host-api without a value', ['validate', 'fixtures/valid/minimal.toml', '--host-api'], "Option '--host-api <value>' argument missing"],
  ])('for %s', async (_, args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: belfry-manifest validate');
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const dir = join(scratch, 'fifo');
    mkdirSync(dir, { recursive: true });
    execFileSync('mkfifo', [join(dir, 'plugin.toml')]);
    const result = await run(['validate', 'plugin.toml'], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read "plugin.toml" (a named pipe, not a regular file)');
  });

  it('prints usage and exits 0 for --help', async () => {
    const result = await run(['validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: belfry-manifest validate <files or globs...>');
  });

  it('checks a file named twice, by a glob and by another spelling of its path, once', async () => {
    const result = await run(['validate', 'fixtures/valid/*.toml', './fixtures/valid/minimal.toml', `${root}fixtures/valid/minimal.toml`]);
    expect(result).toEqual({ code: 0, stdout: '4 manifests valid\n', stderr: '' });
  });

  it('checks a file reached through a symlinked folder and its real path once', async () => {
    const real = join(scratch, 'linked', 'real');
    mkdirSync(real, { recursive: true });
    writeFileSync(join(real, 'plugin.toml'), readFileSync(`${root}fixtures/valid/minimal.toml`, 'utf8'));
    symlinkSync(real, join(scratch, 'linked', 'alias'));
    const result = await run(['validate', 'real/plugin.toml', 'alias/plugin.toml', '*/plugin.toml'], {}, join(scratch, 'linked'));
    expect(result).toEqual({ code: 0, stdout: '1 manifest valid\n', stderr: '' });
  });

  it('checks a symlinked plugin.toml and its target once', async () => {
    const dir = join(scratch, 'file-link');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'target.toml'), readFileSync(`${root}fixtures/valid/minimal.toml`, 'utf8'));
    symlinkSync('target.toml', join(dir, 'plugin.toml'));
    const result = await run(['validate', '--json', 'plugin.toml', 'target.toml'], {}, dir);
    expect(result).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('reads files relative to its working directory', async () => {
    const dir = join(scratch, 'plugins', 'demo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plugin.toml'), readFileSync(`${root}fixtures/valid/minimal.toml`, 'utf8'));
    const result = await run(['validate', 'plugins/*/plugin.toml', '--json'], {}, scratch);
    expect(result).toMatchObject({ code: 0, stdout: '[]\n' });
  });
});
