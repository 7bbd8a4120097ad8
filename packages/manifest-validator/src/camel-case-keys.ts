/** `missed_run_policy` → `missedRunPolicy`, at the type level. */
type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<SnakeToCamel<Tail>>}`
  : S;

/** An object type with its own keys (not nested ones) renamed to camelCase. */
export type CamelCaseKeys<T> = { [K in keyof T as K extends string ? SnakeToCamel<K> : K]: T[K] };

/**
 * Renames an object's own keys from TOML's snake_case to TypeScript's
 * camelCase. Shallow on purpose: each manifest table renames its own keys,
 * while free-form values (`metadata`, a schedule's `config`) keep theirs.
 */
export function camelCaseKeys<T extends object>(value: T): CamelCaseKeys<T> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = field;
  }
  return out as CamelCaseKeys<T>;
}
