import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, validateManifest, type Diagnostic } from '../src/index.js';

const HEADER = `[plugin]
id = "demo"
name = "Demo"
version = "1.0.0"
entry = "./dist/index.js"
api_version = "^1.0"
capabilities = ["scheduled"]
[[plugin.schedules]]
id = "once"
`;

const shown = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => ({ code: d.code, path: d.path, line: d.line, column: d.column, message: d.message }));

describe('one-shot schedules: at', () => {
  it('accept at instead of cron and return it camelCased with the defaults', () => {
    const result = validateManifest(`${HEADER}at = "2026-12-01T09:00:00Z"\nmissed_run_policy = "skip"\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.manifest?.plugin.schedules).toEqual([
      { id: 'once', at: '2026-12-01T09:00:00Z', timezone: 'UTC', jitterMs: 0, missedRunPolicy: 'skip', locking: 'require_global' },
    ]);
  });

  it('refuse both cron and at at the at key, naming the fix', () => {
    const result = validateManifest(`${HEADER}cron = "5m"\nat = "2026-12-01T09:00:00Z"\n`);
    expect(result.ok).toBe(false);
    expect(shown(result.diagnostics)).toEqual([
      expect.objectContaining({ code: 'conflicting_keys', path: 'plugin.schedules[0].at', line: 11, column: 1, message: expect.stringMatching(/either cron .* or at .*not both/) }),
    ]);
  });

  it('refuse a schedule with neither at its table header, as a missing cron naming both keys', () => {
    const result = validateManifest(`${HEADER}missed_run_policy = "skip"\n`);
    expect(result.ok).toBe(false);
    expect(shown(result.diagnostics)).toEqual([
      expect.objectContaining({ code: 'missing_key', path: 'plugin.schedules[0].cron', line: 8, column: 1, message: expect.stringMatching(/needs cron .* or at /) }),
    ]);
  });

  it.each([
    ['2026-12-01T09:00:00', /no offset/],
    ['2026-02-30T09:00:00Z', /no such date/],
    ['next tuesday', /not an ISO 8601 instant/],
  ])('report at = %j as invalid_schedule at the value', (at, reason) => {
    const result = validateManifest(`${HEADER}at = "${at}"\n`);
    expect(result.ok).toBe(false);
    expect(shown(result.diagnostics)).toEqual([
      expect.objectContaining({ code: 'invalid_schedule', path: 'plugin.schedules[0].at', line: 10, column: 6, message: expect.stringMatching(reason) }),
    ]);
  });

  it('warn that a timezone has no effect on an instant', () => {
    const result = validateManifest(`${HEADER}at = "2026-12-01T09:00:00+01:00"\ntimezone = "Europe/Berlin"\n`);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => `${d.severity}:${d.code}`)).toEqual(['warning:timezone_ignored']);
  });

  it('document at and "exactly one of cron and at" in the JSON Schema', () => {
    const schema = JSON.stringify(manifestJsonSchema());
    expect(schema).toMatch(/"at":{"description":"One-shot: an ISO 8601 instant[^}]*"type":"string","minLength":1}/);
    expect(schema).toContain('"oneOf":[{"required":["cron"]},{"required":["at"]}]');
  });
});
