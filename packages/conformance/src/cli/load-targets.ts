import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConformanceTarget } from '../target.js';

/** Imports a conformance module and checks that its default export is a target or a list of them. */
export async function loadTargets(modulePath: string, cwd: string): Promise<ConformanceTarget[]> {
  const absolute = resolve(cwd, modulePath);
  if (!existsSync(absolute)) throw new Error(`${modulePath}: no such file`);
  const loaded = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  const exported = loaded.default;
  const targets = Array.isArray(exported) ? exported : [exported];
  if (exported === undefined || targets.length === 0) {
    throw new Error(`${modulePath}: the module has no default export; export a conformance target (see the @belfry/conformance README)`);
  }
  targets.forEach((target, index) => {
    const where = Array.isArray(exported) ? `${modulePath} [${index}]` : modulePath;
    if (typeof target !== 'object' || target === null || typeof (target as { name?: unknown }).name !== 'string') {
      throw new Error(`${where}: a target must be an object with a "name" string`);
    }
    const { locking } = target as ConformanceTarget;
    if (locking === undefined) throw new Error(`${where}: target "${(target as ConformanceTarget).name}" has no suite section (e.g. "locking")`);
    if (typeof locking.factory?.create !== 'function') throw new Error(`${where}: locking.factory.create must be a function`);
    if (typeof locking.capabilities !== 'object' || locking.capabilities === null) {
      throw new Error(`${where}: locking.capabilities must be an object, e.g. { fences: true }`);
    }
  });
  return targets as ConformanceTarget[];
}
