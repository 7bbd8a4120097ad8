import type { Diagnostic } from './diagnostic.js';
import { issueDiagnostics } from './issue-diagnostics.js';
import { manifestSchema, type Manifest } from './manifest-schema.js';
import { parseLocatedToml, type PathLocations } from './parse-located-toml.js';
import { semanticDiagnostics } from './semantic-diagnostics.js';
import { sortDiagnostics } from './sort-diagnostics.js';

/** Everything one file's validation learned, including what the set tier needs. */
export interface ManifestAnalysis {
  diagnostics: Diagnostic[];
  manifest: Manifest | undefined;
  /** The parsed document, when the text was TOML. */
  document: Record<string, unknown> | undefined;
  locations: PathLocations;
}

/**
 * Runs the syntax, schema and semantics tiers on one text. Arguments are
 * trusted here; the public entry points check them. `hostApiVersion`
 * undefined leaves the API version check to the caller.
 */
export function analyseManifest(text: string, file: string | undefined, hostApiVersion: string | undefined): ManifestAnalysis {
  const parsed = parseLocatedToml(text);
  if (!('value' in parsed)) {
    return { diagnostics: [withFile(parsed, file)], manifest: undefined, document: undefined, locations: new Map<string, never>() };
  }
  const { value: document, locations } = parsed;
  const result = manifestSchema.safeParse(document);
  const drafts = result.success ? [] : result.error.issues.flatMap((issue) => issueDiagnostics(issue, document, locations));
  drafts.push(...semanticDiagnostics(document, locations, hostApiVersion));
  const diagnostics = sortDiagnostics(drafts.map((draft) => withFile(draft, file)));
  const clean = result.success && !diagnostics.some((d) => d.severity === 'error');
  return { diagnostics, manifest: clean ? result.data : undefined, document, locations };
}

/** Keeps the documented field order, so JSON output reads the same everywhere. */
function withFile(draft: Omit<Diagnostic, 'file'>, file: string | undefined): Diagnostic {
  const { tier, severity, code, message, path, line, column } = draft;
  return file === undefined
    ? { tier, severity, code, message, path, line, column }
    : { tier, severity, code, message, path, file, line, column };
}
