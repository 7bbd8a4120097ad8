import type { z } from 'zod';

interface SchemaNode {
  _zod: { def: { type: string; shape?: Record<string, SchemaNode>; innerType?: SchemaNode; in?: SchemaNode; element?: SchemaNode } };
}

/**
 * The keys `schema` allows in the table at `path` (as written in TOML), read
 * from the schema itself so suggestions can never drift from what is
 * accepted. Empty when the path is not a fixed table.
 */
export function knownConfigKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: SchemaNode | undefined = unwrap(schema as unknown as SchemaNode);
  for (const segment of path) {
    const def = node?._zod.def;
    if (def?.type === 'array' && typeof segment === 'number') node = unwrap(def.element);
    else node = def?.type === 'object' && def.shape !== undefined ? unwrap(def.shape[String(segment)]) : undefined;
  }
  return node?._zod.def.type === 'object' ? Object.keys(node._zod.def.shape ?? {}) : [];
}

function unwrap(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let guard = 0; current !== undefined && guard < 16; guard += 1) {
    const def: SchemaNode['_zod']['def'] = current._zod.def;
    if (def.type === 'pipe') current = def.in;
    else if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') current = def.innerType;
    else return current;
  }
  return current;
}
