import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { type JsonValue } from '@belfry/plugin-api';
import { redactSecrets } from '@belfry/internal';
import { describeConfigIssue } from './describe-config-issue.js';
import type { HostConfig, LockBackendName } from './host-config.js';
import { hostConfigSchema, type RawHostConfig } from './host-config-schema.js';
import { HostConfigError } from './host-errors.js';

/** Where settings come from. */
export interface LoadHostConfigOptions {
  /** Path of `belfry.config.toml`. Default: `belfry.config.toml` in `cwd`, used only if it exists. */
  file?: string;
  /** Environment whose variables override the file. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Folder relative paths are resolved against when there is no file. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * Reads and validates the host's settings. Every problem throws a
 * HostConfigError naming the file (or variable), the key and the fix;
 * passwords in URLs are never shown.
 */
export function loadHostConfig(options: LoadHostConfigOptions = {}): HostConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.file !== undefined;
  const file = resolve(cwd, options.file ?? 'belfry.config.toml');
  let raw: RawHostConfig = {};
  let source = '(defaults)';
  if (existsSync(file)) {
    source = file;
    raw = parseSettingsFile(file);
  } else if (explicit) {
    throw new HostConfigError(`${file}: settings file not found. Fix: create it, or pass the path of an existing belfry.config.toml`);
  }
  const baseDir = source === '(defaults)' ? cwd : dirname(file);
  const backend = overrideBackend(raw.locking?.backend ?? 'memory', env.BELFRY_LOCKING);
  const config: HostConfig = {
    file: source === '(defaults)' ? null : file,
    nodeId: env.BELFRY_NODE_ID || raw.host?.node_id || `${hostname()}:${process.pid}`,
    pluginsDir: resolve(baseDir, raw.host?.plugins_dir ?? 'plugins'),
    stateDir: env.BELFRY_STATE_DIR ? resolve(cwd, env.BELFRY_STATE_DIR) : resolve(baseDir, raw.host?.state_dir ?? '.belfry-state'),
    snapshotIntervalMs: raw.host?.snapshot_interval_ms ?? 30_000,
    shutdownGraceMs: raw.host?.shutdown_grace_ms ?? 10_000,
    hookTimeoutMs: raw.host?.hook_timeout_ms ?? 5_000,
    locking: {
      backend,
      redisUrl: env.REDIS_URL || raw.locking?.redis_url,
      databaseUrl: env.DATABASE_URL || raw.locking?.database_url,
      pgMode: raw.locking?.pg_mode ?? 'lease',
      keyPrefix: raw.locking?.key_prefix ?? 'belfry:',
    },
    scheduler: {
      skewToleranceMs: raw.scheduler?.skew_tolerance_ms ?? 5_000,
      lockTtlMs: raw.scheduler?.lock_ttl_ms ?? 30_000,
    },
    dashboard: {
      enabled: raw.dashboard?.enabled ?? true,
      host: raw.dashboard?.host ?? '127.0.0.1',
      port: overridePort(raw.dashboard?.port ?? 4600, env.BELFRY_PORT),
    },
    plugins: (raw.plugins ?? {}) as Record<string, JsonValue>,
  };
  checkBackendUrl(config, source);
  return config;
}

function parseSettingsFile(file: string): RawHostConfig {
  let document: unknown;
  try {
    document = parseToml(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof TomlError) {
      throw new HostConfigError(`${file}:${error.line}:${error.column}: not valid TOML: ${error.message.split('\n')[0]}`);
    }
    throw new HostConfigError(`${file}: cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = hostConfigSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${describeConfigIssue(issue, document)}`);
    throw new HostConfigError(`${file}: invalid settings:\n${problems.join('\n')}`);
  }
  return result.data;
}

function overrideBackend(fromFile: LockBackendName, fromEnv: string | undefined): LockBackendName {
  if (fromEnv === undefined || fromEnv === '') return fromFile;
  if (fromEnv === 'memory' || fromEnv === 'redis' || fromEnv === 'pg') return fromEnv;
  throw new HostConfigError(`BELFRY_LOCKING (environment): unknown lock backend ${JSON.stringify(fromEnv)}. Fix: set it to memory, redis or pg`);
}

function overridePort(fromFile: number, fromEnv: string | undefined): number {
  if (fromEnv === undefined || fromEnv === '') return fromFile;
  const port = Number(fromEnv);
  if (!/^\d+$/.test(fromEnv) || port > 65535) {
    throw new HostConfigError(`BELFRY_PORT (environment): ${JSON.stringify(fromEnv)} is not a port number. Fix: set it to an integer from 0 to 65535`);
  }
  return port;
}

function checkBackendUrl(config: HostConfig, source: string): void {
  const { backend, redisUrl, databaseUrl } = config.locking;
  const check = (url: string | undefined, key: string, variable: string, protocols: string[]): void => {
    if (url === undefined) {
      throw new HostConfigError(`${source}: [locking] backend is "${backend}" but no URL is set. Fix: set [locking] ${key} or the ${variable} environment variable`);
    }
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new HostConfigError(`${source}: [locking] ${key} / ${variable} ${JSON.stringify(redactSecrets(url))} is not a URL. Fix: use e.g. ${protocols[0]}//host:port`);
    }
    if (!protocols.includes(protocol)) {
      throw new HostConfigError(
        `${source}: [locking] ${key} / ${variable} ${JSON.stringify(redactSecrets(url))} must start with ${protocols.join(' or ')}//`,
      );
    }
  };
  if (backend === 'redis') check(redisUrl, 'redis_url', 'REDIS_URL', ['redis:', 'rediss:']);
  if (backend === 'pg') check(databaseUrl, 'database_url', 'DATABASE_URL', ['postgres:', 'postgresql:']);
}
