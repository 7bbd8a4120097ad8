#!/usr/bin/env node
// Runs belfry-conformance against every shipped backend and plugin: each
// package or app with a conformance.config.mjs at its root contributes its targets.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/conformance/dist/belfry-conformance.js');
const modules = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir, 'conformance.config.mjs')))
  .filter((file) => existsSync(file))
  .map((file) => relative(root, file));

if (modules.length === 0) {
  console.error('conformance: no packages/*/conformance.config.mjs or apps/*/conformance.config.mjs found');
  process.exit(2);
}
console.log(`conformance: ${modules.join(', ')}`);
const run = spawnSync(process.execPath, [cli, ...modules, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
