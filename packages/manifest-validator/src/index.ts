export { validateManifest } from './validate-manifest.js';
export type { ValidateManifestOptions, ValidateManifestResult } from './validate-manifest.js';
export { validateManifestSet } from './validate-manifest-set.js';
export type {
  ManifestInput,
  ManifestSetFileResult,
  ValidateManifestSetOptions,
  ValidateManifestSetResult,
} from './validate-manifest-set.js';
export type { Diagnostic, DiagnosticCode, DiagnosticSeverity, DiagnosticTier } from './diagnostic.js';
export { manifestSchema } from './manifest-schema.js';
export type { Capability, Manifest, ManifestSchedule, PluginManifest } from './manifest-schema.js';
export { manifestJsonSchema } from './manifest-json-schema.js';
export { formatDiagnostics } from './format-diagnostics.js';
export type { FormatDiagnosticsOptions } from './format-diagnostics.js';
export { MAX_MANIFEST_LENGTH, MAX_NESTING_DEPTH, MAX_SCHEDULES, MAX_TOKEN_LENGTH } from './limits.js';
