import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const packagesDir = resolve(__dirname, '../..');
const project = mkdtempSync(join(tmpdir(), 'belfry-third-party-'));

afterAll(() => rmSync(project, { recursive: true, force: true }));

function pack(packageDir: string, destination: string): string {
  execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: join(packagesDir, packageDir), stdio: 'pipe' });
  const tarball = readdirSync(destination).find((name) => name.startsWith(`belfry-${packageDir}-`));
  if (tarball === undefined) throw new Error(`pnpm pack produced no tarball for ${packageDir}`);
  return join(destination, tarball);
}

describe('a third party using the published packages', () => {
  it('installs the packed tarballs outside the workspace and runs belfry-conformance on its own backend', () => {
    const tarballs = mkdtempSync(join(tmpdir(), 'belfry-tarballs-'));
    const packed = ['plugin-api', 'conformance'].map((dir) => pack(dir, tarballs));
    cpSync(join(__dirname, 'third-party'), project, { recursive: true });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed], { cwd: project, stdio: 'pipe' });
    rmSync(tarballs, { recursive: true, force: true });

    const run = spawnSync('npx', ['--no-install', 'belfry-conformance', 'conformance.config.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('map (third party) — locking');
    const report = JSON.parse(readFileSync(join(project, 'conformance-report.json'), 'utf8'));
    // A backend without `supports`: the config's capabilities are the whole claim.
    expect(report).toMatchObject({ passed: 22, failed: 0, notClaimed: 5 });
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/@belfry/conformance/package.json'), 'utf8'));
    expect(installed.dependencies).toEqual({ '@belfry/plugin-api': expect.not.stringContaining('workspace:') });
    expect(readdirSync(join(project, 'node_modules/@belfry'))).toEqual(['conformance', 'plugin-api']);
  });
});
