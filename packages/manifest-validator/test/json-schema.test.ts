import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, validateManifest } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const published = JSON.parse(readFileSync(`${root}plugin.schema.json`, 'utf8')) as Record<string, unknown>;
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  exports: Record<string, unknown>;
  files: string[];
};
// TOML date-times parse to Date objects; the JSON Schema sees the JSON form.
const asJson = (text: string): unknown => JSON.parse(JSON.stringify(parse(text)));
const checkAgainstJsonSchema = new Ajv({ strict: false, allErrors: true }).compile(published);

describe('plugin.schema.json', () => {
  it('is exactly what manifestJsonSchema() generates from the validator\'s schema', () => {
    expect(published).toEqual(manifestJsonSchema());
  });

  it('is shipped in files and exported as ./plugin.schema.json', () => {
    expect(packageJson.files).toContain('plugin.schema.json');
    expect(packageJson.exports['./plugin.schema.json']).toBe('./plugin.schema.json');
  });

  it('describes the TOML as written: snake_case keys, defaults, patterns and ranges', () => {
    const plugin = (published['properties'] as Record<string, { properties: Record<string, Record<string, unknown>> }>)['plugin'];
    const poller = plugin?.properties['poller'] as { properties: Record<string, Record<string, unknown>>; additionalProperties: unknown };
    expect(Object.keys(plugin?.properties ?? {})).toContain('api_version');
    expect(poller.additionalProperties).toBe(false);
    expect(poller.properties['max_concurrent_ticks']).toMatchObject({ type: 'integer', minimum: 1, maximum: 64, default: 1 });
    expect(poller.properties['tick_timeout_secs']).toMatchObject({ minimum: 1, maximum: 3600, default: 60 });
    expect(poller.properties['kinds']).toMatchObject({ minItems: 1, uniqueItems: true, items: { pattern: '^[a-z][a-z0-9_]+$' } });
    expect(plugin?.properties['id']).toMatchObject({ pattern: '^[a-z][a-z0-9_-]{0,62}$' });
  });

  it('accepts every valid fixture', () => {
    for (const name of readdirSync(`${root}fixtures/valid`)) {
      const ok = checkAgainstJsonSchema(asJson(readFileSync(`${root}fixtures/valid/${name}`, 'utf8')));
      expect({ name, ok, errors: checkAgainstJsonSchema.errors ?? null }).toEqual({ name, ok: true, errors: null });
    }
  });

  it("rejects what the validator's schema tier rejects: unknown keys, wrong types, missing keys", () => {
    for (const name of ['unknown-keys.toml', 'wrong-types.toml', 'missing-keys.toml', 'no-plugin-table.toml', 'poller-rules.toml']) {
      const text = readFileSync(`${root}fixtures/invalid/${name}`, 'utf8');
      expect(validateManifest(text).ok).toBe(false);
      expect({ name, ok: checkAgainstJsonSchema(asJson(text)) }).toEqual({ name, ok: false });
    }
  });
});
