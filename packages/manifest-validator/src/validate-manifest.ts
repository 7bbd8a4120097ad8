import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { analyseManifest } from './analyse-manifest.js';
import { assertHostApiVersion } from './assert-host-api-version.js';
import type { Diagnostic } from './diagnostic.js';
import type { Manifest } from './manifest-schema.js';

/** Options of {@link validateManifest}. */
export interface ValidateManifestOptions {
  /** Name of the file the text came from; copied into every diagnostic. Default: none. */
  file?: string;
  /**
   * The host's plugin API version, which `api_version` must admit.
   * Default: `PLUGIN_API_VERSION` of @belfry/plugin-api.
   */
  hostApiVersion?: string;
}

/** What {@link validateManifest} found. */
export interface ValidateManifestResult {
  /** True when no diagnostic is an error (warnings allowed). */
  ok: boolean;
  /** The manifest, camelCase with defaults applied; present exactly when `ok`. */
  manifest?: Manifest;
  /** Every problem found, ordered by line and column. */
  diagnostics: Diagnostic[];
}

/**
 * Validates the text of one plugin.toml through the syntax, schema and
 * semantics tiers and reports every problem in one pass, each with its
 * TOML path, line and column. Never throws for bad manifest text, however
 * malformed; throws `InvalidArgumentError` only when called wrongly.
 * `text` is already decoded: read files with a strict UTF-8 decoder (the
 * CLI reports bytes that are not UTF-8 as `invalid_utf8`), not
 * `readFileSync(file, 'utf8')`, which turns them into U+FFFD unnoticed.
 */
export function validateManifest(text: string, options: ValidateManifestOptions = {}): ValidateManifestResult {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(`validateManifest: text must be the manifest as a string (got ${describeValue(text)})`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`validateManifest: options must be an object (got ${describeValue(options)})`);
  }
  if (options.file !== undefined && typeof options.file !== 'string') {
    throw new InvalidArgumentError(`validateManifest: options.file must be a string (got ${describeValue(options.file)})`);
  }
  const hostApiVersion = assertHostApiVersion(options.hostApiVersion, 'validateManifest');
  const analysis = analyseManifest(text, options.file, hostApiVersion);
  const ok = !analysis.diagnostics.some((d) => d.severity === 'error');
  return ok && analysis.manifest !== undefined
    ? { ok, manifest: analysis.manifest, diagnostics: analysis.diagnostics }
    : { ok: false, diagnostics: analysis.diagnostics };
}
