import { PLUGIN_API_VERSION } from '@belfry/plugin-api';
import { describe, expect, it } from 'vitest';
import { validateManifest, type Diagnostic } from '../src/index.js';

const HEADER = `[plugin]
id = "demo"
name = "Demo"
version = "1.0.0"
entry = "./dist/index.js"
api_version = "^1.0"
`;

const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);

describe('validateManifest: the validated manifest', () => {
  it('maps snake_case keys to camelCase and applies every default', () => {
    const result = validateManifest(`${HEADER}capabilities = ["scheduled", "poller"]
[[plugin.schedules]]
id = "tick"
cron = "*/5 * * * *"
[plugin.poller]
kinds = ["rss"]
broker_topic_prefix = "p"
`);
    expect(result.ok).toBe(true);
    expect(result.manifest).toEqual({
      plugin: {
        id: 'demo',
        name: 'Demo',
        version: '1.0.0',
        entry: './dist/index.js',
        apiVersion: '^1.0',
        capabilities: ['scheduled', 'poller'],
        schedules: [{ id: 'tick', cron: '*/5 * * * *', timezone: 'UTC', jitterMs: 0, missedRunPolicy: 'run_once', locking: 'require_global' }],
        poller: { kinds: ['rss'], brokerTopicPrefix: 'p', lifecycle: 'long_lived', maxConcurrentTicks: 1, tickTimeoutSecs: 60 },
      },
    });
  });

  it('keeps metadata and schedule config keys as written, __proto__ included, and turns date-times into ISO strings', () => {
    const result = validateManifest(`${HEADER}capabilities = ["scheduled"]
[[plugin.schedules]]
id = "tick"
cron = "30s"
config = { max_items = 10, since = 2026-01-01T00:00:00Z }
[plugin.metadata]
some_key = { nested_key = [1, 2.5, true] }
"__proto__" = { polluted = true }
`);
    expect(result.ok).toBe(true);
    expect(result.manifest?.plugin.schedules[0]?.config).toEqual({ max_items: 10, since: '2026-01-01T00:00:00.000Z' });
    expect(result.manifest?.plugin.metadata?.['some_key']).toEqual({ nested_key: [1, 2.5, true] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(result.manifest?.plugin.metadata, '__proto__')?.value).toEqual({ polluted: true });
    expect(JSON.parse(JSON.stringify(result.manifest))).toEqual(result.manifest);
  });

  it('accepts a manifest written with dotted keys and inline tables', () => {
    const result = validateManifest(`${HEADER}capabilities = ["poller", "locking"]
poller = { kinds = ["rss"], broker_topic_prefix = "x.y" }
locking.backend = "etcd"
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.manifest?.plugin.locking).toEqual({ backend: 'etcd' });
  });

  it('is ok with warnings only, and then still returns the manifest', () => {
    const result = validateManifest(`${HEADER}capabilities = ["scheduled", "scheduled"]
[[plugin.schedules]]
id = "tick"
cron = "30s"
timezone = "Europe/Paris"
`);
    expect(codes(result.diagnostics)).toEqual(['duplicate_capability@7:30', 'timezone_ignored@11:12']);
    expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(result.ok).toBe(true);
    expect(result.manifest?.plugin.schedules[0]?.timezone).toBe('Europe/Paris');
  });
});

describe('validateManifest: locations', () => {
  it('points an unknown key at the key and a bad value at the value, 1-based', () => {
    const result = validateManifest(`${HEADER}capabilities = ["lifecycle"]
  colour   =   "blue"
description = 7
`);
    expect(result.diagnostics).toMatchObject([
      { code: 'unknown_key', path: 'plugin.colour', line: 8, column: 3 },
      { code: 'wrong_type', path: 'plugin.description', line: 9, column: 15 },
    ]);
  });

  it('points a missing key at the header of the table that lacks it', () => {
    const result = validateManifest(`${HEADER}capabilities = ["scheduled"]

  [[plugin.schedules]]
  id = "a"
`);
    expect(result.diagnostics).toMatchObject([{ code: 'missing_key', path: 'plugin.schedules[0].cron', line: 9, column: 3 }]);
  });

  it('points a missing key at the table\'s own header even when a sub-table header comes first', () => {
    const result = validateManifest(`[plugin.poller]
kinds = ["rss"]
broker_topic_prefix = "p"

[plugin]
id = "demo"
name = "Demo"
version = "1.0.0"
entry = "./dist/index.js"
capabilities = ["poller"]
`);
    expect(result.diagnostics).toMatchObject([{ code: 'missing_key', path: 'plugin.api_version', line: 5, column: 1 }]);
  });

  it('points into arrays and inline tables by element', () => {
    const result = validateManifest(`${HEADER}capabilities = ["lifecycle", "telepathy"]
[plugin.metadata]
x = 1
`);
    expect(result.diagnostics).toMatchObject([{ code: 'invalid_value', path: 'plugin.capabilities[1]', line: 7, column: 30 }]);
  });

  it('counts columns after a byte-order mark and across CRLF line ends as editors do', () => {
    const text = `\uFEFF${HEADER}capabilities = ["lifecycle"]\nbogus = 1\n`.replace(/\n/g, '\r\n');
    expect(validateManifest(text).diagnostics).toMatchObject([{ code: 'unknown_key', line: 8, column: 1 }]);
  });

  it('quotes keys in paths that are not bare keys', () => {
    const result = validateManifest(`${HEADER}capabilities = ["lifecycle"]
"odd key" = 1
`);
    expect(result.diagnostics).toMatchObject([{ code: 'unknown_key', path: 'plugin."odd key"', line: 8, column: 1 }]);
  });

  it('reports a syntax error at its line and column and stops there', () => {
    const result = validateManifest(`${HEADER}capabilities = ["lifecycle",\nnope = 1\n`);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ tier: 'syntax', code: 'toml_syntax', path: 'plugin', line: 8, column: 1 }),
    ]);
  });

  it('gives a syntax error the path of the table it sits in, or "" at the top level', () => {
    expect(validateManifest('[ plugin . poller ]  # pollers\nkinds = [\n  ["a"],\n  oops\n]\n').diagnostics).toMatchObject([
      { code: 'toml_syntax', path: 'plugin.poller', line: 4, column: 3 },
    ]);
    expect(validateManifest('x = \n').diagnostics).toMatchObject([{ code: 'toml_syntax', path: '' }]);
  });

  it('gives a syntax error inside an array of tables the path of its element', () => {
    const text = `${HEADER}capabilities = ["scheduled"]\n[[plugin.schedules]]\nid = "a"\n[[ plugin.schedules ]]\nid = "b"\n[plugin.poller]\n[[plugin.schedules]]\nid = = "c"\n`;
    expect(validateManifest(text).diagnostics).toMatchObject([{ code: 'toml_syntax', path: 'plugin.schedules[2]', line: 14, column: 6 }]);
  });

  it('reports an empty text as a manifest without a [plugin] table at 1:1', () => {
    expect(validateManifest('').diagnostics).toEqual([
      { tier: 'schema', severity: 'error', code: 'missing_key', message: 'The manifest has no [plugin] table.', path: 'plugin', line: 1, column: 1 },
    ]);
  });
});

describe('validateManifest: every problem in one pass', () => {
  it('reports schema and semantics problems of different tables together', () => {
    const result = validateManifest(`[plugin]
id = "Bad Id"
name = ""
version = "1"
entry = "../x.js"
api_version = "^1.0"
capabilities = ["poller"]
extra = true
[plugin.poller]
kinds = ["ok_kind", "ok_kind"]
broker_topic_prefix = "has space"
max_concurrent_ticks = 100
tick_timeout_secs = "60"
`);
    expect(result.diagnostics.map((d) => `${d.tier}/${d.code}/${d.path}`)).toEqual([
      'semantics/pattern_mismatch/plugin.id',
      'semantics/empty_value/plugin.name',
      'semantics/invalid_semver/plugin.version',
      'semantics/invalid_entry/plugin.entry',
      'schema/unknown_key/plugin.extra',
      'semantics/duplicate_kind/plugin.poller.kinds[1]',
      'semantics/invalid_topic_prefix/plugin.poller.broker_topic_prefix',
      'semantics/out_of_range/plugin.poller.max_concurrent_ticks',
      'schema/wrong_type/plugin.poller.tick_timeout_secs',
    ]);
  });

  it('still checks schedules when another part of the manifest has the wrong type', () => {
    const result = validateManifest(`${HEADER}capabilities = "scheduled"
[[plugin.schedules]]
id = "a"
cron = "not a schedule"
`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['wrong_type', 'invalid_schedule']);
  });
});

describe('validateManifest: did you mean', () => {
  it.each([
    ['kind', 'kinds'],
    ['brokerTopicPrefix', 'broker_topic_prefix'],
    ['tick-timeout-secs', 'tick_timeout_secs'],
    ['max_concurent_ticks', 'max_concurrent_ticks'],
    ['lifecylce', 'lifecycle'],
  ])('suggests %s → %s in [plugin.poller]', (typo, known) => {
    const result = validateManifest(`${HEADER}capabilities = ["poller"]
[plugin.poller]
kinds = ["rss"]
broker_topic_prefix = "p"
${typo} = 1
`);
    const unknown = result.diagnostics.find((d) => d.code === 'unknown_key');
    expect(unknown?.message).toContain(`Did you mean "${known}"?`);
  });

  it('lists the allowed keys when nothing is close', () => {
    const result = validateManifest(`${HEADER}capabilities = ["locking"]
[plugin.locking]
backend = "etcd"
zzzzzzzz = 1
`);
    expect(result.diagnostics[0]?.message).toBe('Unknown key "zzzzzzzz" in [plugin.locking]. Allowed keys: backend.');
  });

  it('suggests the nearest enum value for a misspelt one', () => {
    const result = validateManifest(`${HEADER}capabilities = ["scheduled"]
[[plugin.schedules]]
id = "a"
cron = "@daily"
locking = "require-global"
`);
    expect(result.diagnostics[0]?.message).toContain('Did you mean "require_global"?');
  });
});

describe('validateManifest: api_version and the host', () => {
  const withRange = (range: string): string => HEADER.replace('"^1.0"', JSON.stringify(range)) + 'capabilities = ["lifecycle"]\n';

  it(`checks api_version against PLUGIN_API_VERSION (${PLUGIN_API_VERSION}) by default`, () => {
    expect(validateManifest(withRange('^1.0')).ok).toBe(true);
    expect(validateManifest(withRange('^2.0')).diagnostics).toMatchObject([{ code: 'api_version_mismatch', line: 6, column: 15 }]);
  });

  it('checks api_version against hostApiVersion when given', () => {
    expect(validateManifest(withRange('^2.0'), { hostApiVersion: '2.3.1' }).ok).toBe(true);
    expect(validateManifest(withRange('^1.0'), { hostApiVersion: '2.3.1' }).diagnostics[0]?.message).toContain('2.3.1');
  });

  it('reports a range that is not semver instead of comparing it', () => {
    expect(validateManifest(withRange('latest')).diagnostics.map((d) => d.code)).toEqual(['invalid_semver_range']);
    expect(validateManifest(withRange(' ')).diagnostics.map((d) => d.code)).toEqual(['invalid_semver_range']);
  });
});

describe('validateManifest: version', () => {
  const withVersion = (version: string): string => HEADER.replace('"1.0.0"', JSON.stringify(version)) + 'capabilities = ["lifecycle"]\n';

  it.each(['1.0.0 ', '1.0.0\n', ' 1.0.0', 'v1.0.0', '=1.0.0', '1.0'])('refuses %j, which is not a semantic version as written', (version) => {
    expect(validateManifest(withVersion(version)).diagnostics).toMatchObject([{ code: 'invalid_semver', path: 'plugin.version', line: 4, column: 11 }]);
  });

  it.each(['1.0.0', '2.0.0-beta.3', '1.2.3+build.7'])('accepts %j', (version) => {
    expect(validateManifest(withVersion(version)).manifest?.plugin.version).toBe(version);
  });
});

describe('validateManifest: entry', () => {
  const withEntry = (entry: string): Diagnostic[] =>
    validateManifest(HEADER.replace('"./dist/index.js"', JSON.stringify(entry)) + 'capabilities = ["lifecycle"]\n').diagnostics;

  it.each(['index.js', './dist/index.js', 'lib/../dist/main.cjs', 'dist\\index.js'])('accepts %s', (entry) => {
    expect(withEntry(entry)).toEqual([]);
  });

  it.each(['../index.js', 'dist/../../index.js', '..\\evil.js', '/abs/index.js', 'C:\\x\\index.js', 'file:///x.js', '\\\\server\\share\\x.js', '.', 'dist/'])(
    'rejects %s',
    (entry) => {
      expect(withEntry(entry).map((d) => d.code)).toEqual(['invalid_entry']);
    },
  );
});

describe('validateManifest: bad arguments', () => {
  it('throws invalid_argument for text that is not a string, naming the value', () => {
    expect(() => validateManifest(Buffer.from('x') as unknown as string)).toThrowError(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('text must be the manifest as a string') }),
    );
  });

  it('throws invalid_argument for a hostApiVersion that is not semver', () => {
    expect(() => validateManifest('', { hostApiVersion: 'one' })).toThrowError(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('"one"') }),
    );
  });

  it('throws invalid_argument for a file that is not a string and for options that are not an object', () => {
    expect(() => validateManifest('', { file: 3 as unknown as string })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => validateManifest('', null as unknown as object)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('copies file into every diagnostic when given', () => {
    expect(validateManifest('x = 1', { file: 'p/plugin.toml' }).diagnostics.every((d) => d.file === 'p/plugin.toml')).toBe(true);
  });
});
