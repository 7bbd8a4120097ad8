import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateManifest, validateManifestSet } from '../src/index.js';
import { brokenPromise } from './support/check-result.js';
import { mutatedManifest } from './support/mutations.js';
import { toToml, validManifest } from './support/valid-manifest.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bases = readdirSync(`${root}fixtures/valid`).map((name) => readFileSync(`${root}fixtures/valid/${name}`, 'utf8'));

/** Never an exception, and every promise of the result kept. */
function holdsFor(text: string): boolean {
  const problem = brokenPromise(text, validateManifest(text, { file: 'fuzz.toml' }));
  if (problem !== undefined) throw new Error(problem);
  return true;
}

describe('validateManifest on generated valid manifests (1,000 cases per run)', () => {
  it('accepts every one with no error and returns its values in camelCase with defaults', () => {
    fc.assert(
      fc.property(validManifest, (generated) => {
        const result = validateManifest(toToml(generated));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const plugin = result.manifest?.plugin;
        expect(plugin?.id).toBe(generated.id);
        expect(plugin?.apiVersion).toBe(generated.apiVersion);
        expect(plugin?.schedules.map((s) => [s.id, s.cron, s.timezone, s.jitterMs, s.missedRunPolicy, s.locking])).toEqual(
          generated.schedules.map((s) => [s.id, s.cron, s.timezone ?? 'UTC', s.jitterMs ?? 0, s.missedRunPolicy ?? 'run_once', s.locking ?? 'require_global']),
        );
        expect(plugin?.poller?.maxConcurrentTicks).toBe(generated.poller === undefined ? undefined : (generated.poller.maxConcurrentTicks ?? 1));
        expect(plugin?.locking?.backend).toBe(generated.backend);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('validateManifest under fuzzing (10,500 cases per run)', () => {
  it('keeps its promises for valid manifests with keys and bytes deleted, duplicated, retyped and corrupted', () => {
    fc.assert(fc.property(mutatedManifest(bases), holdsFor), { numRuns: 7000 });
  });

  it('keeps its promises for arbitrary text, including lone surrogates and control characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), holdsFor), { numRuns: 1500 });
  });

  it('keeps its promises for arbitrary bytes read as UTF-8', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => holdsFor(Buffer.from(bytes).toString('utf8'))), { numRuns: 1000 });
  });

  it('keeps its promises for TOML-shaped noise built from manifest fragments', () => {
    const fragment = fc.constantFrom('[plugin]', '[[plugin.schedules]]', '[plugin.poller]', '[plugin.locking]', '[plugin.metadata]', 'id = "x"', 'cron = "@daily"', 'kinds = ["a1"]', 'a.b.c = 1', 'x = [[[', 'y = {', '}', ']]', '"""', "'''", '# c', '');
    fc.assert(fc.property(fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join('\n')), holdsFor), { numRuns: 1000 });
  });

  it('validates a set of mutated manifests without throwing, conflicts included', () => {
    fc.assert(
      fc.property(fc.array(mutatedManifest(bases), { minLength: 1, maxLength: 4 }), (texts) => {
        const result = validateManifestSet(texts.map((text, i) => ({ file: `p${i}.toml`, text })));
        result.files.forEach((file, i) => {
          const problem = brokenPromise(texts[i] as string, file);
          if (problem !== undefined) throw new Error(`${file.file}: ${problem}`);
        });
        expect(result.ok).toBe(result.files.every((f) => f.ok));
      }),
      { numRuns: 250 },
    );
  });
});
