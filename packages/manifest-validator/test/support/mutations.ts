import fc from 'fast-check';

/** TOML values of every type, to put where another type is expected. */
export const tomlValueText: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: false }).map((n) => (Number.isFinite(n) ? String(n).replace(/^(-?\d+)$/, '$1.0') : Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf')),
  fc.boolean().map(String),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('1979-05-27T07:32:00Z', '1979-05-27', '07:32:00', '[]', '{}', '[1, "a", [2]]', '{ a = 1, b = { c = [] } }', '"""\nmulti\n"""', "'literal'"),
  fc.constantFrom('"@hourly"', '"*/5 * * * *"', '"61 * * * *"', '"Europe/Berlin"', '"Nowhere/Else"', '"^1.0"', '"^2"', '"1.0.0"', '"../x.js"', '["rss", "rss"]', '["scheduled"]', '0', '65', '3601', '-1'),
);

const KEYS = ['id', 'name', 'version', 'entry', 'api_version', 'capabilities', 'kinds', 'cron', 'timezone', 'backend', 'plugin', 'schedules', 'poller', 'locking', 'metadata', 'jitter_ms', 'lifecycle', 'tick_timeout_secs'];

/** One change to a manifest's text: delete, duplicate, move, retype, rename, corrupt, insert or cut. */
export type Mutation = (text: string) => string;

const lineMutation = (edit: (lines: string[], index: number) => void) =>
  fc.nat().map<Mutation>((n) => (text) => {
    const lines = text.split('\n');
    edit(lines, n % lines.length);
    return lines.join('\n');
  });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  lineMutation((lines, i) => void lines.splice(i, 1)),
  lineMutation((lines, i) => void lines.splice(i, 0, lines[i] as string)),
  fc.tuple(fc.nat(), fc.nat()).map<Mutation>(([a, b]) => (text) => {
    const lines = text.split('\n');
    const i = a % lines.length;
    const j = b % lines.length;
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), tomlValueText).map<Mutation>(([n, value]) => (text) => {
    const lines = text.split('\n');
    const i = n % lines.length;
    lines[i] = (lines[i] as string).replace(/^(\s*[^=\s][^=]*=\s*).*$/, `$1${value}`);
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...KEYS), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/))).map<Mutation>(([n, key]) => (text) => {
    const lines = text.split('\n');
    const i = n % lines.length;
    lines[i] = (lines[i] as string).replace(/^(\s*)[A-Za-z0-9_"'.-]+(\s*=)/, `$1${key}$2`);
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('[', ']', '{', '}', '"', "'", '=', '.', ',', '#', '\n', '\r', '\t', '\\', '\u0000', '\u007f', '\u2028', '\ufeff', '😀', '\ud800'), fc.string({ maxLength: 3, unit: 'binary' }))).map<Mutation>(
    ([n, chars]) => (text) => {
      const at = n % (text.length + 1);
      return text.slice(0, at) + chars + text.slice(at + 1);
    },
  ),
  fc.tuple(fc.nat(), fc.string({ maxLength: 12, unit: 'binary' })).map<Mutation>(([n, chars]) => (text) => {
    const at = n % (text.length + 1);
    return text.slice(0, at) + chars + text.slice(at);
  }),
  fc.nat().map<Mutation>((n) => (text) => text.slice(0, n % (text.length + 1))),
);

/** A valid manifest's text changed by one to four mutations. */
export const mutatedManifest = (bases: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([base, edits]) =>
    edits.reduce((text, edit) => edit(text), base),
  );
