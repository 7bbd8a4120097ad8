import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { validateManifest, validateManifestSet } from '../src/index.js';
import { brokenPromise } from '../test/support/check-result.js';
import { mutatedManifest } from '../test/support/mutations.js';

/*
 * The long fuzz run: FUZZ_RUNS cases (default 100,000) of the same hostile
 * inputs the test suite samples. Set FUZZ_SEED to replay a failure.
 */
const runs = Number(process.env['FUZZ_RUNS'] ?? 100_000);
const seed = process.env['FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['FUZZ_SEED']);
const root = fileURLToPath(new URL('..', import.meta.url));
const bases = readdirSync(`${root}fixtures/valid`).map((name) => readFileSync(`${root}fixtures/valid/${name}`, 'utf8'));

const input = fc.oneof(
  { weight: 7, arbitrary: mutatedManifest(bases) },
  { weight: 1, arbitrary: fc.string({ maxLength: 400, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('utf8')) },
  { weight: 1, arbitrary: fc.array(mutatedManifest(bases), { minLength: 2, maxLength: 2 }).map((pair) => pair.join('\n')) },
);

describe(`validateManifest fuzzing, ${runs} cases, seed ${seed}`, () => {
  it('never throws and keeps every promise of its result', () => {
    const started = Date.now();
    fc.assert(
      fc.property(input, (text) => {
        const problem = brokenPromise(text, validateManifest(text, { file: 'fuzz.toml' }));
        if (problem !== undefined) throw new Error(problem);
      }),
      { numRuns: runs, seed },
    );
    console.log(`${runs} manifests in ${Date.now() - started} ms, seed ${seed}`);
  });

  it('validates sets of hostile manifests without throwing', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 5 }), (texts) => {
        const result = validateManifestSet(texts.map((text, i) => ({ file: `p${i}.toml`, text })));
        result.files.forEach((file, i) => {
          const problem = brokenPromise(texts[i] as string, file);
          if (problem !== undefined) throw new Error(`${file.file}: ${problem}`);
        });
      }),
      { numRuns: Math.ceil(runs / 10), seed },
    );
  });
});
