import { describe, expect, it } from 'vitest';
import { validateManifestSet } from '../src/index.js';

const manifest = (id: string, extra = '', capabilities = '"lifecycle"', range = '^1.0'): string => `[plugin]
id = "${id}"
name = "${id}"
version = "1.0.0"
entry = "index.js"
api_version = "${range}"
capabilities = [${capabilities}]
${extra}`;

const poller = (kinds: string): string => `[plugin.poller]\nkinds = [${kinds}]\nbroker_topic_prefix = "p"\n`;

describe('validateManifestSet', () => {
  it('accepts a set without conflicts and returns each manifest', () => {
    const result = validateManifestSet([
      { file: 'a/plugin.toml', text: manifest('a') },
      { file: 'b/plugin.toml', text: manifest('b', poller('"rss"'), '"poller"') },
    ]);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => [f.file, f.ok, f.manifest?.plugin.id])).toEqual([
      ['a/plugin.toml', true, 'a'],
      ['b/plugin.toml', true, 'b'],
    ]);
  });

  it('reports a duplicate plugin id on the later file, naming both files with positions', () => {
    const result = validateManifestSet([
      { file: 'one.toml', text: manifest('same') },
      { file: 'two.toml', text: `\n\n${manifest('same')}` },
    ]);
    expect(result.diagnostics).toEqual([
      {
        tier: 'set',
        severity: 'error',
        code: 'duplicate_plugin_id',
        message:
          'Plugin id "same" is declared by both one.toml:2:6 and two.toml:4:6; plugin ids must be unique among the plugins a host loads.',
        path: 'plugin.id',
        file: 'two.toml',
        line: 4,
        column: 6,
      },
    ]);
    expect(result.files.map((f) => f.ok)).toEqual([true, false]);
    expect(result.files[1]?.manifest).toBeUndefined();
  });

  it('reports a poller kind claimed by two plugins at the second claim', () => {
    const result = validateManifestSet([
      { file: 'a.toml', text: manifest('a', poller('"rss", "atom"'), '"poller"') },
      { file: 'b.toml', text: manifest('b', poller('"json", "atom"'), '"poller"') },
    ]);
    expect(result.diagnostics).toMatchObject([
      { code: 'duplicate_poller_kind', file: 'b.toml', path: 'plugin.poller.kinds[1]', line: 9, column: 18 },
    ]);
    expect(result.diagnostics[0]?.message).toBe(
      'Poller kind "atom" is claimed by both a.toml:9:17 and b.toml:9:18; each kind must be served by one plugin.',
    );
  });

  it('reports a kind repeated inside one file once, as a semantics problem, not as a set conflict', () => {
    const result = validateManifestSet([{ file: 'a.toml', text: manifest('a', poller('"rss", "rss"'), '"poller"') }]);
    expect(result.diagnostics.map((d) => `${d.tier}/${d.code}`)).toEqual(['semantics/duplicate_kind']);
  });

  it('reports one locking backend provided by two plugins', () => {
    const locking = '[plugin.locking]\nbackend = "etcd"\n';
    const result = validateManifestSet([
      { file: 'a.toml', text: manifest('a', locking, '"locking"') },
      { file: 'b.toml', text: manifest('b', locking, '"locking"') },
      { file: 'c.toml', text: manifest('c', locking, '"locking"') },
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.file, d.message.includes('a.toml:9:11')])).toEqual([
      ['duplicate_locking_backend', 'b.toml', true],
      ['duplicate_locking_backend', 'c.toml', true],
    ]);
  });

  it('reports api_version ranges that do not admit the host version in the set tier', () => {
    const result = validateManifestSet(
      [
        { file: 'old.toml', text: manifest('old', '', '"lifecycle"', '^1.0') },
        { file: 'new.toml', text: manifest('new', '', '"lifecycle"', '>=2 <3') },
      ],
      { hostApiVersion: '2.1.0' },
    );
    expect(result.diagnostics).toMatchObject([{ tier: 'set', code: 'api_version_mismatch', file: 'old.toml', line: 6, column: 15 }]);
    expect(result.diagnostics[0]?.message).toContain('old.toml');
    expect(result.diagnostics[0]?.message).toContain('2.1.0');
  });

  it('keeps each file\'s own diagnostics and still finds conflicts in files with other errors', () => {
    const result = validateManifestSet([
      { file: 'a.toml', text: manifest('dup') },
      { file: 'b.toml', text: `${manifest('dup')}bogus = 1\n` },
      { file: 'c.toml', text: 'not toml at all [' },
    ]);
    expect(result.diagnostics.map((d) => `${d.file}:${d.tier}/${d.code}`)).toEqual([
      'b.toml:set/duplicate_plugin_id',
      'b.toml:schema/unknown_key',
      'c.toml:syntax/toml_syntax',
    ]);
    expect(result.files.map((f) => f.diagnostics.length)).toEqual([0, 2, 1]);
  });

  it('accepts an empty set', () => {
    expect(validateManifestSet([])).toEqual({ ok: true, files: [], diagnostics: [] });
  });

  it('throws invalid_argument for inputs that are not { file, text } items, naming the index', () => {
    expect(() => validateManifestSet('a.toml' as never)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => validateManifestSet([{ file: 'a', text: 'x' }, { file: '', text: 'x' }])).toThrowError(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('inputs[1]') }),
    );
    expect(() => validateManifestSet([{ file: 'a', text: 1 as unknown as string }])).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => validateManifestSet([], { hostApiVersion: '^1' })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
