import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the built package', () => {
  it('loads from CommonJS with require and validates', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', "const m = require('./dist/index.cjs'); process.stdout.write(JSON.stringify(m.validateManifest('x = 1').diagnostics.map((d) => d.code)))"],
      { cwd: root, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual(['missing_key', 'unknown_key']);
  });

  it('loads from ESM with import and validates', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { validateManifest } from './dist/index.js'; process.stdout.write(String(validateManifest('').ok))"],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out).toBe('false');
  });
});
