import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_LENGTH, MAX_NESTING_DEPTH, MAX_SCHEDULES, validateManifest, type ValidateManifestResult } from '../src/index.js';
import { brokenPromise } from './support/check-result.js';

/*
 * Real-time bounds here are the contract ("no input takes more than a
 * second"), far above the few milliseconds most of these take. Each input
 * is timed three times and the fastest run counts, so a moment of contention
 * on a shared machine measures the machine, not the input.
 */
const BOUND_MS = 1000;

function timed(text: string): { result: ValidateManifestResult; ms: number } {
  let best = Number.POSITIVE_INFINITY;
  let result: ValidateManifestResult | undefined;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    result = validateManifest(text, { file: 'hostile.toml' });
    best = Math.min(best, performance.now() - started);
    expect(brokenPromise(text, result)).toBeUndefined();
  }
  return { result: result as ValidateManifestResult, ms: best };
}

const HEADER = '[plugin]\nid = "h"\nname = "h"\nversion = "1.0.0"\nentry = "i.js"\napi_version = "^1"\ncapabilities = ["scheduled"]\n';

describe('hostile input', () => {
  it('answers 10 MB of binary junk within a second with a diagnostic', () => {
    const { result, ms } = timed(randomBytes(10 * 1024 * 1024).toString('latin1'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['file_too_large']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('answers 64 KB of binary junk within a second with a syntax diagnostic', () => {
    const { result, ms } = timed(randomBytes(64 * 1024).toString('utf8'));
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]?.tier).toBe('syntax');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('refuses a 10 MB well-formed TOML file within a second, saying why', () => {
    const line = `k = "${'x'.repeat(50)}"\n`;
    const { result, ms } = timed(`[plugin.metadata]\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}`);
    expect(result.diagnostics).toMatchObject([{ tier: 'syntax', code: 'file_too_large', line: 1, column: 1, path: '' }]);
    expect(result.diagnostics[0]?.message).toContain(String(MAX_MANIFEST_LENGTH));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('validates a manifest just under the size limit within a second', () => {
    const metadata = Array.from({ length: 1_000 }, (_, i) => `key_${i} = { list = [${i}, "${'v'.repeat(20)}"], flag = true }`);
    const schedules = Array.from({ length: MAX_SCHEDULES }, (_, i) => `[[plugin.schedules]]\nid = "s${i}"\ncron = "${i % 60} ${i % 24} * * 1-5"\ntimezone = "${i % 2 === 0 ? 'Europe/Berlin' : 'America/New_York'}"\n`);
    const text = `${HEADER}${schedules.join('')}[plugin.metadata]\n${metadata.join('\n')}\n`.slice(0, MAX_MANIFEST_LENGTH);
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    // Module start-up (zod, croner, the parser) is not the input's cost; pay it first.
    validateManifest(HEADER);
    const { result, ms } = timed(complete);
    expect(result.ok).toBe(true);
    expect(result.manifest?.plugin.schedules.length).toBe(MAX_SCHEDULES);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it.each([
    ['arrays', `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['inline tables', `x = ${'{ a = '.repeat(10_000)}1${' }'.repeat(10_000)}`],
    ['dotted keys', `${'a.'.repeat(10_000)}b = 1`],
    ['a table header', `[${'a.'.repeat(10_000)}b]`],
    ['an array-of-tables header', `[[${'a.'.repeat(10_000)}b]]`],
    ['arrays inside [plugin.metadata]', `[plugin.metadata]\nx = ${'[1, '.repeat(10_000)}`],
  ])('answers 10,000-deep nesting of %s within a second with nesting_too_deep', (_, text) => {
    const { result, ms } = timed(text);
    expect(result.diagnostics).toMatchObject([{ tier: 'syntax', code: 'nesting_too_deep' }]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it(`accepts nesting up to the limit of ${MAX_NESTING_DEPTH} levels inside [plugin.metadata]`, () => {
    const depth = MAX_NESTING_DEPTH - 3;
    const { result } = timed(`${HEADER.replace('["scheduled"]', '["lifecycle"]')}[plugin.metadata]\nx = ${'['.repeat(depth)}1${']'.repeat(depth)}\n`);
    expect(result.diagnostics).toEqual([]);
  });

  it('does not mistake brackets inside strings and comments for nesting', () => {
    const noise = '['.repeat(10_000);
    const { result } = timed(
      `${HEADER.replace('["scheduled"]', '["lifecycle"]')}description = "${noise}"\n# ${noise}\n[plugin.metadata]\nm = """\n${noise}\n"""\nl = '${noise}'\n`,
    );
    expect(result.diagnostics).toEqual([]);
  });

  it('answers a long run of a thousand unknown keys within a second, with one diagnostic each', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `unknown_${i} = ${i}`).join('\n');
    const { result, ms } = timed(`${HEADER}${keys}\n`);
    expect(result.diagnostics.filter((d) => d.code === 'unknown_key')).toHaveLength(1000);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('answers a 30,000-character string value and key within a second', () => {
    const big = 'x'.repeat(30_000);
    const value = timed(`${HEADER.replace('"h"', `"${big}"`)}`);
    expect(value.result.diagnostics.map((d) => d.code)).toContain('pattern_mismatch');
    expect(value.result.diagnostics[0]?.message.length).toBeLessThan(400);
    const key = timed(`${HEADER}${big} = 1\n`);
    expect(key.result.diagnostics.map((d) => d.code)).toContain('unknown_key');
    expect(Math.max(value.ms, key.ms)).toBeLessThan(BOUND_MS);
  });
});

describe('limits', () => {
  it('reports a value longer than MAX_TOKEN_LENGTH where it starts instead of overflowing the parser', () => {
    const { result } = timed(`[plugin]\nid = "${'x'.repeat(100_000)}"\n`);
    expect(result.diagnostics).toMatchObject([{ tier: 'syntax', code: 'token_too_long', line: 2, column: 6 }]);
  });

  it('reports a bare token longer than MAX_TOKEN_LENGTH', () => {
    const { result } = timed(`[plugin]\nn = 1${'0'.repeat(100_000)}\n`);
    expect(result.diagnostics).toMatchObject([{ code: 'token_too_long', line: 2, column: 5 }]);
  });

  it('finds every one of hundreds of cron date patterns that never come within a second', () => {
    const months = ['4', '6', '9', '11', '2'];
    const lists: string[] = [];
    const extend = (prefix: string[]): void => {
      if (prefix.length > 0) lists.push(prefix.join(','));
      if (prefix.length < 4) for (const month of months) extend([...prefix, month]);
    };
    extend([]);
    // Each schedule names a different impossible date (the 31st of months that have 30 days or fewer).
    const schedules = lists.map((list, i) => `[[plugin.schedules]]\nid = "s${i}"\ncron = "0 ${i % 60} ${i % 24} 31 ${list} *"\n`);
    validateManifest(HEADER);
    // Timed once: a second run would only measure remembered answers.
    const started = performance.now();
    const result = validateManifest(HEADER + schedules.join(''));
    const ms = performance.now() - started;
    expect(result.diagnostics.map((d) => d.code)).toEqual(lists.map(() => 'schedule_never_fires'));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it(`reports more than ${MAX_SCHEDULES} schedules as out of range, within a second`, () => {
    const schedules = Array.from({ length: MAX_SCHEDULES + 1 }, (_, i) => `[[plugin.schedules]]\nid = "s${i}"\ncron = "${i % 60} ${i % 24} * * *"\n`);
    const { result, ms } = timed(HEADER + schedules.join(''));
    expect(result.diagnostics).toMatchObject([{ code: 'out_of_range', path: 'plugin.schedules', line: 8, column: 1 }]);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});
