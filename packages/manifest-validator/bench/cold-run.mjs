// One cold measurement, run by bench/run.mjs in a fresh process so nothing a
// previous input warmed or remembered (compiled patterns, zone checks, the
// JIT's work on them) counts for this one. Module start-up is paid first, as
// a host pays it once. Prints { cpuMs, wallMs } as JSON.
//   node bench/cold-run.mjs <input name> belfry|plain [path of the build, default ../dist]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { HEADER, hostileInputs } from './hostile-inputs.mjs';

const [name, side, dist = new URL('../dist', import.meta.url).pathname] = process.argv.slice(2);
const { manifestSchema, validateManifest } = await import(pathToFileURL(resolve(dist, 'index.js')).href);
const { parse } = await import('smol-toml');
const text = hostileInputs[name].text();

const run =
  side === 'belfry'
    ? (input) => validateManifest(input, { file: 'plugin.toml' })
    : (input) => {
        try {
          return manifestSchema.safeParse(parse(input)).success;
        } catch {
          return false;
        }
      };
run(HEADER);
const cpu = process.cpuUsage();
const started = performance.now();
run(text);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs }));
