// Regenerates fixtures/**/*.expected.json from the built validator. Run it
// after a deliberate change to messages or rules, then review the diff: the
// expectations are the contract the tests hold the validator to.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateManifest, validateManifestSet } from '../dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const write = (file, value) => writeFileSync(`${root}${file}`, `${JSON.stringify(value, null, 2)}\n`);

for (const name of readdirSync(`${root}fixtures/invalid`).filter((n) => n.endsWith('.toml'))) {
  const file = `fixtures/invalid/${name}`;
  const { diagnostics } = validateManifest(readFileSync(`${root}${file}`, 'utf8'), { file });
  write(file.replace(/\.toml$/, '.expected.json'), diagnostics);
}

const setFiles = readdirSync(`${root}fixtures/set`).filter((n) => n.endsWith('.toml')).sort();
const inputs = setFiles.map((name) => ({ file: `fixtures/set/${name}`, text: readFileSync(`${root}fixtures/set/${name}`, 'utf8') }));
write('fixtures/set/set.expected.json', validateManifestSet(inputs).diagnostics);
console.log('expectations written');
