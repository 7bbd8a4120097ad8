import * as z from 'zod';
import { manifestSchema } from './manifest-schema.js';

/** The published schema's identifier; editors show it, nothing fetches it. */
const SCHEMA_ID = 'https://unpkg.com/@belfry/manifest-validator/plugin.schema.json';

/**
 * The JSON Schema (draft 7, which Taplo and Even Better TOML read) of a
 * plugin.toml, generated from the same zod schema the validator uses. It
 * describes the text as written: snake_case keys, defaults as `default`.
 * The build writes it to `plugin.schema.json` in the package root.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
  return { $schema: schema['$schema'], $id: SCHEMA_ID, ...schema };
}
