import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import semver from 'semver';
import { analyseManifest } from './analyse-manifest.js';
import { assertHostApiVersion } from './assert-host-api-version.js';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { describeTomlValue } from './describe-toml-value.js';
import { locate } from './locate.js';
import type { Manifest } from './manifest-schema.js';
import { ownValueAt } from './own-value-at.js';
import { parseLocatedToml, type PathLocations } from './parse-located-toml.js';
import { sortDiagnostics } from './sort-diagnostics.js';
import { tomlPath } from './toml-path.js';

/** One manifest of a set: where it came from and its text. */
export interface ManifestInput {
  /**
   * File name, used in diagnostics and to name the other file of a conflict.
   * Only a name: nothing here reads the disk, so callers that read files
   * drop repeats by real path first (a symlinked path is the same plugin).
   */
  file: string;
  /** The plugin.toml text. */
  text: string;
}

/** Options of {@link validateManifestSet}. */
export interface ValidateManifestSetOptions {
  /**
   * The host's plugin API version, which every `api_version` must admit.
   * Default: `PLUGIN_API_VERSION` of @belfry/plugin-api.
   */
  hostApiVersion?: string;
}

/** One file's outcome within a set. */
export interface ManifestSetFileResult {
  file: string;
  /** True when no diagnostic for this file, set-tier ones included, is an error. */
  ok: boolean;
  /** The manifest, camelCase with defaults applied; present exactly when `ok`. */
  manifest?: Manifest;
  /** This file's diagnostics, set-tier ones included. */
  diagnostics: Diagnostic[];
}

/** What {@link validateManifestSet} found. */
export interface ValidateManifestSetResult {
  /** True when no diagnostic in any file is an error. */
  ok: boolean;
  /** Per input, in input order. */
  files: ManifestSetFileResult[];
  /** Every diagnostic of every file: files in input order, each by line and column. */
  diagnostics: Diagnostic[];
}

type Segments = (string | number)[];

/**
 * Validates the manifests a host is about to load, each through the three
 * file tiers, then across the set: duplicate plugin ids, a poller kind
 * claimed twice, a locking backend provided twice, and `api_version`
 * ranges that do not admit the host's version. A conflict is reported on
 * the later file and names the earlier one.
 */
export function validateManifestSet(
  inputs: readonly ManifestInput[],
  options: ValidateManifestSetOptions = {},
): ValidateManifestSetResult {
  if (!Array.isArray(inputs)) {
    throw new InvalidArgumentError(`validateManifestSet: inputs must be an array of { file, text } (got ${describeValue(inputs)})`);
  }
  inputs.forEach((input: unknown, index) => {
    const item = input as Partial<ManifestInput> | null;
    if (typeof item !== 'object' || item === null || typeof item.file !== 'string' || item.file === '' || typeof item.text !== 'string') {
      throw new InvalidArgumentError(
        `validateManifestSet: inputs[${index}] must be { file: non-empty string, text: string } (got ${describeValue(input)})`,
      );
    }
  });
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`validateManifestSet: options must be an object (got ${describeValue(options)})`);
  }
  const hostApiVersion = assertHostApiVersion(options.hostApiVersion, 'validateManifestSet');

  // Pass 1: each file on its own. Only the values the set tier compares are
  // kept, so no file's parse tree outlives its own analysis.
  const analysed = inputs.map(({ file, text }) => {
    const analysis = analyseManifest(text, file, undefined);
    return { file, text, diagnostics: analysis.diagnostics, manifest: analysis.manifest, claims: claimsOf(analysis.document) };
  });

  // Pass 2: compare. A conflict is reported on the later file and names the earlier one.
  const pending: Conflict[] = [];
  const firstClaims = new Map<string, { index: number; segments: Segments }>();
  analysed.forEach(({ claims }, index) => {
    for (const claim of claims) {
      if (claim.kind === 'api_version') {
        if (!semver.satisfies(hostApiVersion, claim.value, { includePrerelease: true })) pending.push({ index, claim });
        continue;
      }
      const key = `${claim.kind}\u0000${claim.value}`;
      const first = firstClaims.get(key);
      if (first === undefined) firstClaims.set(key, { index, segments: claim.segments });
      else pending.push({ index, claim, first });
    }
  });

  // Pass 3: positions, from a fresh parse of just the files a conflict involves.
  const located = new Map<number, PathLocations>();
  const position = (index: number, segments: Segments): { line: number; column: number } => {
    let locations = located.get(index);
    if (locations === undefined) {
      const parsed = parseLocatedToml((analysed[index] as (typeof analysed)[number]).text);
      locations = 'locations' in parsed ? parsed.locations : new Map<string, never>();
      located.set(index, locations);
    }
    return locate(locations, segments, 'value');
  };
  const conflicts = analysed.map((): Diagnostic[] => []);
  for (const { index, claim, first } of pending) {
    const file = (analysed[index] as (typeof analysed)[number]).file;
    const here = position(index, claim.segments);
    const cite = (at: { index: number; segments: Segments }): string => {
      const { line, column } = position(at.index, at.segments);
      return `${(analysed[at.index] as (typeof analysed)[number]).file}:${line}:${column}`;
    };
    const both = first === undefined ? '' : `both ${cite(first)} and ${cite({ index, segments: claim.segments })}`;
    const value = describeTomlValue(claim.value);
    const [code, message]: [DiagnosticCode, string] =
      claim.kind === 'id'
        ? ['duplicate_plugin_id', `Plugin id ${value} is declared by ${both}; plugin ids must be unique among the plugins a host loads.`]
        : claim.kind === 'kind'
          ? ['duplicate_poller_kind', `Poller kind ${value} is claimed by ${both}; each kind must be served by one plugin.`]
          : claim.kind === 'backend'
            ? ['duplicate_locking_backend', `Locking backend ${value} is provided by ${both}; load only one of them.`]
            : ['api_version_mismatch', `plugin.api_version ${value} of ${file} does not admit this host's plugin API version ${hostApiVersion}; use a release of the plugin built for it.`];
    (conflicts[index] as Diagnostic[]).push({ tier: 'set', severity: 'error', code, message, path: tomlPath(claim.segments), file, line: here.line, column: here.column });
  }

  const files = analysed.map(({ file, diagnostics: own, manifest }, index): ManifestSetFileResult => {
    const extra = conflicts[index] as Diagnostic[];
    const diagnostics = extra.length === 0 ? own : sortDiagnostics([...own, ...extra]);
    const ok = !diagnostics.some((d) => d.severity === 'error');
    return ok && manifest !== undefined ? { file, ok, manifest, diagnostics } : { file, ok: false, diagnostics };
  });
  const diagnostics = files.flatMap((f) => f.diagnostics);
  return { ok: files.every((f) => f.ok), files, diagnostics };
}

interface Claim {
  kind: 'id' | 'kind' | 'backend' | 'api_version';
  value: string;
  segments: Segments;
}

interface Conflict {
  index: number;
  claim: Claim;
  /** The earlier claim of the same value; absent for an API version the host does not meet. */
  first?: { index: number; segments: Segments };
}

/**
 * The values one manifest claims among its peers, read from whatever parsed
 * with the right type, so a conflict is found even in a file with other errors.
 */
function claimsOf(document: unknown): Claim[] {
  if (document === undefined) return [];
  const claims: Claim[] = [];
  const id = ownValueAt(document, ['plugin', 'id']);
  if (typeof id === 'string') claims.push({ kind: 'id', value: id, segments: ['plugin', 'id'] });
  const kinds = ownValueAt(document, ['plugin', 'poller', 'kinds']);
  if (Array.isArray(kinds)) {
    // A kind repeated within one file is that file's semantics problem, not a conflict between plugins.
    const own = new Set<string>();
    kinds.forEach((kind, k) => {
      if (typeof kind !== 'string' || own.has(kind)) return;
      own.add(kind);
      claims.push({ kind: 'kind', value: kind, segments: ['plugin', 'poller', 'kinds', k] });
    });
  }
  const backend = ownValueAt(document, ['plugin', 'locking', 'backend']);
  if (typeof backend === 'string') claims.push({ kind: 'backend', value: backend, segments: ['plugin', 'locking', 'backend'] });
  const range = ownValueAt(document, ['plugin', 'api_version']);
  if (typeof range === 'string' && range.trim() !== '' && semver.validRange(range) !== null) {
    claims.push({ kind: 'api_version', value: range, segments: ['plugin', 'api_version'] });
  }
  return claims;
}
