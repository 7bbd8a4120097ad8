import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string }; bin: Record<string, string> };
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'belfry-manifest-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A CLI run takes about 0.3 s; one still going after 15 s hangs and is killed. */
const HANG_GUARD_MS = 15_000;

/** The fenced blocks of the README, in order, with their language. */
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] as string, body: m[2] as string }));

describe('the README', () => {
  it('states the Node versions engines allows, which are exactly those the TOML parser supports', () => {
    const parser = JSON.parse(readFileSync(require.resolve('toml-eslint-parser/package.json'), 'utf8')) as { engines: { node: string } };
    const ours = packageJson.engines.node;
    expect(semver.subset(ours, parser.engines.node)).toBe(true);
    expect(semver.subset(parser.engines.node, ours)).toBe(true);
    expect(readme).toContain(`Node \`${ours}\``);
  });

  it('shows a CLI example that needs nothing but itself, and the output it really prints', () => {
    const index = blocks.findIndex((b) => b.lang === 'sh' && b.body.includes('belfry-manifest validate'));
    const script = blocks[index]?.body ?? '';
    const written = /^cat > (\S+) <<'EOF'\n([\s\S]*?)^EOF\n/m.exec(script);
    const command = /^npx belfry-manifest (.+)$/m.exec(script);
    expect(written).not.toBeNull();
    expect(command).not.toBeNull();
    writeFileSync(join(scratch, written?.[1] as string), written?.[2] as string);
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, [join(root, packageJson.bin['belfry-manifest'] as string), ...(command?.[1] as string).split(' ')], { cwd: scratch, encoding: 'utf8', timeout: HANG_GUARD_MS });
    } catch (error) {
      stdout = (error as { stdout: string }).stdout;
    }
    expect(stdout).toBe(blocks[index + 1]?.body);
  });

  it('shows a manifest that validates cleanly', () => {
    const manifest = blocks.find((b) => b.lang === 'toml' && b.body.includes('[plugin]'))?.body ?? '';
    expect(validateManifest(manifest).diagnostics).toEqual([]);
  });
});
