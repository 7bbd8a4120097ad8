import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateManifest, validateManifestSet, type Diagnostic } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(`${root}${file}`, 'utf8');
const tomlFiles = (dir: string): string[] =>
  readdirSync(`${root}${dir}`)
    .filter((name) => name.endsWith('.toml'))
    .sort()
    .map((name) => `${dir}/${name}`);

/**
 * The reason after "is not a schedule expression:" / "is not a time zone:"
 * is scheduler-core's wording; the fixtures pin ours and the location.
 */
function comparable(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) =>
    d.code === 'invalid_schedule' || d.code === 'invalid_timezone' ? { ...d, message: d.message.replace(/: .*$/s, ':') } : d,
  );
}

describe('valid fixtures', () => {
  for (const file of tomlFiles('fixtures/valid')) {
    it(`${file} validates with no diagnostics`, () => {
      const result = validateManifest(read(file), { file });
      expect(result.diagnostics).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.manifest?.plugin.id).toMatch(/^[a-z]/);
    });
  }

  it('the valid fixtures together form a conflict-free set', () => {
    const inputs = tomlFiles('fixtures/valid').map((file) => ({ file, text: read(file) }));
    const result = validateManifestSet(inputs);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('invalid fixtures', () => {
  for (const file of tomlFiles('fixtures/invalid')) {
    it(`${file} reports exactly the diagnostics in its .expected.json`, () => {
      const expected = JSON.parse(read(file.replace(/\.toml$/, '.expected.json'))) as Diagnostic[];
      const result = validateManifest(read(file), { file });
      expect(expected.length).toBeGreaterThan(0);
      expect(comparable(result.diagnostics)).toEqual(comparable(expected));
      expect(result.ok).toBe(false);
      expect(result.manifest).toBeUndefined();
    });
  }
});

describe('set fixtures', () => {
  it('fixtures/set reports exactly the conflicts in set.expected.json', () => {
    const inputs = tomlFiles('fixtures/set').map((file) => ({ file, text: read(file) }));
    const expected = JSON.parse(read('fixtures/set/set.expected.json')) as Diagnostic[];
    const result = validateManifestSet(inputs);
    expect(result.diagnostics).toEqual(expected);
    expect(result.ok).toBe(false);
  });
});
