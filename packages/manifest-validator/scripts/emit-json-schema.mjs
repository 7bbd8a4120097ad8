// Writes plugin.schema.json (shipped in the package root for editors) from
// the built library, so the published JSON Schema is always the one the
// validator uses.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { manifestJsonSchema } from '../dist/index.js';

const target = fileURLToPath(new URL('../plugin.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
