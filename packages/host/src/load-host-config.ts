import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { type JsonValue } from '@belfry/plugin-api';
import { errorText, LOG_LEVELS } from '@belfry/internal';
import { checkServerUrls } from './check-server-urls.js';
import { describeConfigIssue } from './describe-config-issue.js';
import type { HostConfig, HostLogLevel, LockBackendName, PollerJobSettings, StateStoreSetting } from './host-config.js';
import { hostConfigSchema, type RawHostConfig } from './host-config-schema.js';
import { HostConfigError } from './host-errors.js';
import { readSettingsFile } from './read-settings-file.js';
import { shownValue } from './shown-value.js';

/** Where settings come from. */
export interface LoadHostConfigOptions {
  /** Path of `belfry.config.toml`. Default: `belfry.config.toml` in `cwd`, used only if it exists. */
  file?: string;
  /** Environment whose variables override the file. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Folder relative paths are resolved against when there is no file. Default `process.cwd()`. */
  cwd?: string;
  /**
   * Top-level tables the caller owns (e.g. a dashboard's `[dashboard]`),
   * each with the zod schema that validates it. Their problems are reported
   * like the host's own, did-you-mean included; the parsed tables land in
   * `config.extra`. Any other unknown table is still an error.
   */
  extraTables?: Record<string, z.ZodType>;
}

/** What a `[plugin.locking] backend` name may look like (as the manifest validator checks it). */
const BACKEND_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** A setting's value and where it came from, as an error message names it. */
interface Sourced<T> {
  value: T;
  where: string;
}

/**
 * Reads and validates the host's settings. Every problem throws a
 * HostConfigError naming where the bad value came from (the file and key,
 * or the environment variable) and the fix; passwords are never shown.
 */
export function loadHostConfig(options: LoadHostConfigOptions = {}): HostConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.file !== undefined;
  const file = resolve(cwd, options.file ?? 'belfry.config.toml');
  let raw: RawHostConfig = {};
  let extra: Record<string, unknown> = {};
  let source: string | null = null;
  if (existsSync(file)) {
    source = file;
    ({ raw, extra } = parseSettingsFile(file, options.extraTables ?? {}));
  } else if (explicit) {
    throw new HostConfigError(`${file}: settings file not found. Fix: create it, or pass the path of an existing belfry.config.toml`);
  }
  const inFile = (key: string): string => `${source ?? 'belfry.config.toml'}: ${key}`;
  const fromEnv = (variable: string): string | undefined => (env[variable] === undefined || env[variable] === '' ? undefined : env[variable]);
  // The environment wins over the file; each value keeps the name of where it came from.
  const pick = <T>(variable: string, key: string, fileValue: T | undefined): Sourced<T | string> | undefined => {
    const value = fromEnv(variable);
    if (value !== undefined) return { value, where: `${variable} (environment)` };
    return fileValue === undefined ? undefined : { value: fileValue, where: inFile(key) };
  };

  const baseDir = source === null ? cwd : dirname(file);
  const backend = checkBackend(pick('BELFRY_LOCKING', '[locking] backend', raw.locking?.backend) ?? { value: 'memory', where: inFile('[locking] backend') });
  const redisUrl = pick('REDIS_URL', '[locking] redis_url', raw.locking?.redis_url);
  const databaseUrl = pick('DATABASE_URL', '[locking] database_url', raw.locking?.database_url);
  // URLs written in the settings file are always checked; a variable only when its backend uses it.
  if (raw.locking?.redis_url !== undefined) checkServerUrls(raw.locking.redis_url, inFile('[locking] redis_url'), 'redis');
  if (raw.locking?.database_url !== undefined) checkServerUrls(raw.locking.database_url, inFile('[locking] database_url'), 'pg');
  if (backend.value === 'redis') {
    const url = requireUrl(redisUrl, backend, '[locking] redis_url', 'REDIS_URL');
    checkServerUrls(url.value, url.where, 'redis');
  }
  if (backend.value === 'pg') {
    const url = requireUrl(databaseUrl, backend, '[locking] database_url', 'DATABASE_URL');
    checkServerUrls(url.value, url.where, 'pg');
  }

  return {
    file: source,
    nodeId: fromEnv('BELFRY_NODE_ID') ?? raw.host?.node_id ?? `${hostname()}:${process.pid}`,
    pluginsDir: resolve(baseDir, raw.host?.plugins_dir ?? 'plugins'),
    stateDir: fromEnv('BELFRY_STATE_DIR') !== undefined ? resolve(cwd, env.BELFRY_STATE_DIR!) : resolve(baseDir, raw.host?.state_dir ?? '.belfry-state'),
    stateStore: checkStateStore(pick('BELFRY_STATE_STORE', '[host] state_store', raw.host?.state_store)),
    snapshotIntervalMs: raw.host?.snapshot_interval_ms ?? 30_000,
    shutdownGraceMs: raw.host?.shutdown_grace_ms ?? 10_000,
    hookTimeoutMs: raw.host?.hook_timeout_ms ?? 5_000,
    logLevel: checkLogLevel(pick('BELFRY_LOG_LEVEL', '[host] log_level', raw.host?.log_level)),
    locking: {
      backend: backend.value,
      backendFrom: backend.where,
      redisUrl: redisUrl?.value,
      databaseUrl: databaseUrl?.value,
      pgMode: raw.locking?.pg_mode ?? 'lease',
      keyPrefix: raw.locking?.key_prefix ?? 'belfry:',
      options: (raw.locking?.options ?? {}) as Record<string, JsonValue>,
    },
    scheduler: {
      skewToleranceMs: raw.scheduler?.skew_tolerance_ms ?? 5_000,
      lockTtlMs: raw.scheduler?.lock_ttl_ms ?? 30_000,
    },
    plugins: (raw.plugins ?? {}) as Record<string, JsonValue>,
    pollers: (raw.pollers ?? []).map((job, index) => pollerJob(job, inFile(`pollers[${index}]`))),
    extra,
  };
}

function parseSettingsFile(file: string, extraTables: Record<string, z.ZodType>): { raw: RawHostConfig; extra: Record<string, unknown> } {
  const taken = Object.keys(extraTables).filter((name) => name in hostConfigSchema.shape);
  if (taken.length > 0) throw new TypeError(`loadHostConfig: extraTables ${taken.join(', ')} are the host's own tables; pick other names`);
  const schema = hostConfigSchema.extend(Object.fromEntries(Object.entries(extraTables).map(([name, table]) => [name, table.optional()])));
  let document: unknown;
  try {
    document = parseToml(readSettingsFile(file));
  } catch (error) {
    if (error instanceof TomlError) {
      throw new HostConfigError(`${file}:${error.line}:${error.column}: not valid TOML: ${errorText(error).split('\n')[0]}`);
    }
    throw error;
  }
  const result = schema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${describeConfigIssue(issue, document, schema)}`);
    throw new HostConfigError(`${file}: invalid settings:\n${problems.join('\n')}`);
  }
  const data = result.data as Record<string, unknown>;
  const extra = Object.fromEntries(Object.keys(extraTables).flatMap((name) => (data[name] === undefined ? [] : [[name, data[name]]])));
  return { raw: result.data as RawHostConfig, extra };
}

function pollerJob(job: NonNullable<RawHostConfig['pollers']>[number], where: string): PollerJobSettings {
  return {
    id: job.id,
    kind: job.kind,
    ...(job.cron === undefined ? {} : { cron: job.cron }),
    ...(job.at === undefined ? {} : { at: job.at }),
    ...(job.timezone === undefined ? {} : { timezone: job.timezone }),
    locking: job.locking ?? 'require_global',
    missedRunPolicy: job.missed_run_policy ?? 'run_once',
    config: (job.config ?? null) as JsonValue,
    ...(job.max_old_space_mb === undefined ? {} : { maxOldSpaceMb: job.max_old_space_mb }),
    where,
  };
}

function checkBackend(backend: Sourced<string>): Sourced<LockBackendName> {
  const { value, where } = backend;
  // Whether a plugin provides the name is known only once plugins are loaded (createLocking checks it).
  if (BACKEND_NAME.test(value)) return { value, where };
  throw new HostConfigError(`${where}: not a lock backend name (got ${shownValue(value)}). Fix: set it to memory, redis, pg or the backend a plugin provides (${BACKEND_NAME.source})`);
}

function requireUrl(url: Sourced<unknown> | undefined, backend: Sourced<LockBackendName>, key: string, variable: string): Sourced<unknown> {
  if (url !== undefined) return url;
  throw new HostConfigError(`${backend.where}: lock backend is "${backend.value}" but no URL is set. Fix: set ${key} in belfry.config.toml or the ${variable} environment variable`);
}

function checkLogLevel(level: Sourced<string> | undefined): HostLogLevel {
  if (level === undefined) return 'info';
  const value = level.value.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as HostLogLevel;
  throw new HostConfigError(`${level.where}: unknown log level ${shownValue(level.value)}. Fix: set it to one of ${LOG_LEVELS.join(', ')}`);
}

function checkStateStore(setting: Sourced<string> | undefined): StateStoreSetting {
  if (setting === undefined) return 'auto';
  const value = setting.value.toLowerCase();
  if (value === 'auto' || value === 'file' || value === 'shared') return value;
  throw new HostConfigError(`${setting.where}: unknown state store ${shownValue(setting.value)}. Fix: set it to auto, file or shared`);
}
