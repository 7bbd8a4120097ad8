import { manifestSchema } from './manifest-schema.js';

interface SchemaNode {
  _zod: { def: { type: string; shape?: Record<string, SchemaNode>; element?: SchemaNode; innerType?: SchemaNode; in?: SchemaNode } };
}

/**
 * The keys the schema allows in the table at `path` (snake_case, as
 * written in TOML), read from the schema itself so suggestions can never
 * drift from what is accepted. Empty when the path is not a fixed table.
 */
export function knownKeys(path: readonly PropertyKey[]): string[] {
  let node: SchemaNode | undefined = unwrap(manifestSchema as unknown as SchemaNode);
  for (const segment of path) {
    if (node === undefined) return [];
    const def: SchemaNode['_zod']['def'] = node._zod.def;
    if (typeof segment === 'number') node = def.type === 'array' ? unwrap(def.element) : undefined;
    else node = def.type === 'object' && def.shape !== undefined ? unwrap(def.shape[String(segment)]) : undefined;
  }
  if (node === undefined || node._zod.def.type !== 'object') return [];
  return Object.keys(node._zod.def.shape ?? {});
}

function unwrap(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let guard = 0; current !== undefined && guard < 16; guard += 1) {
    const def: SchemaNode['_zod']['def'] = current._zod.def;
    if (def.type === 'pipe') current = def.in;
    else if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') current = def.innerType;
    else return current;
  }
  return current;
}
