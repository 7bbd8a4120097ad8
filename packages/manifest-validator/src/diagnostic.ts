/** The stage of validation that found a problem, in the order they run. */
export type DiagnosticTier = 'syntax' | 'schema' | 'semantics' | 'set';

/** `error` makes a manifest invalid; `warning` is reported but does not. */
export type DiagnosticSeverity = 'error' | 'warning';

/** Stable, machine-readable reasons. New codes may be added in minor versions. */
export type DiagnosticCode =
  // syntax
  | 'toml_syntax'
  | 'file_too_large'
  | 'invalid_utf8'
  | 'nesting_too_deep'
  | 'token_too_long'
  // schema
  | 'missing_key'
  | 'unknown_key'
  | 'wrong_type'
  | 'invalid_value'
  | 'conflicting_keys'
  // semantics
  | 'pattern_mismatch'
  | 'out_of_range'
  | 'empty_value'
  | 'invalid_semver'
  | 'invalid_semver_range'
  | 'invalid_topic_prefix'
  | 'invalid_entry'
  | 'duplicate_schedule_id'
  | 'duplicate_kind'
  | 'duplicate_capability'
  | 'invalid_schedule'
  | 'invalid_timezone'
  | 'schedule_never_fires'
  | 'timezone_ignored'
  | 'capability_without_section'
  | 'section_without_capability'
  | 'api_version_mismatch'
  // set
  | 'duplicate_plugin_id'
  | 'duplicate_poller_kind'
  | 'duplicate_locking_backend';

/** One problem found in a manifest. Plain data: safe to print as JSON. */
export interface Diagnostic {
  /** Which stage found it. */
  tier: DiagnosticTier;
  /** Whether it makes the manifest invalid. */
  severity: DiagnosticSeverity;
  /** Stable reason code, e.g. `unknown_key`. */
  code: DiagnosticCode;
  /** What is wrong, where, and what to do, in one or two sentences. */
  message: string;
  /**
   * TOML path of the offending key or value, e.g. `plugin.poller.kinds[1]`;
   * for a syntax error, the table it sits in; `""` for the top level.
   */
  path: string;
  /** The file the manifest came from, when the caller named it. */
  file?: string;
  /** 1-based line of the offending key or value. */
  line: number;
  /** 1-based column (in UTF-16 code units) of the offending key or value. */
  column: number;
}
