import type { JsonValue, LockingHint, MissedRunPolicy } from '@belfry/plugin-api';

/** Levels of the host's default logger, most verbose first; `silent` prints nothing. */
export type HostLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The lock backends a host can be configured with: the built-in ones, or a name a loaded plugin provides. */
export type LockBackendName = 'memory' | 'redis' | 'pg' | (string & {});

/** The `[host] state_store` setting. */
export type StateStoreSetting = 'auto' | 'file' | 'shared';

/** Validated host settings: `belfry.config.toml` with environment overrides and defaults applied. */
export interface HostConfig {
  /** Absolute path of the settings file, or null when none was read. */
  file: string | null;
  /** This node's id in events and on the dashboard. Default `<hostname>:<pid>`; env `BELFRY_NODE_ID`. */
  nodeId: string;
  /** Absolute folder holding one sub-folder per plugin, each with a plugin.toml. Default `plugins` beside the settings file. */
  pluginsDir: string;
  /** Absolute folder for file snapshots. Default `.belfry-state` beside the settings file; env `BELFRY_STATE_DIR`. */
  stateDir: string;
  /**
   * Where plugin state and the scheduler's missed-run state are kept:
   * `file` in `stateDir`, `shared` in the Redis or PostgreSQL of the lock
   * backend (so nodes keep nothing on disk), `auto` (default) `shared`
   * with `redis` or `pg` locks, `file` otherwise. Env `BELFRY_STATE_STORE`.
   */
  stateStore?: StateStoreSetting;
  /** Interval of periodic snapshots in ms; 0 turns them off. Default 30000. */
  snapshotIntervalMs: number;
  /** How long running jobs may finish at shutdown before they are aborted, in ms. Default 10000. */
  shutdownGraceMs: number;
  /** Longest a lifecycle hook may run before the host moves on, in ms. Default 5000. */
  hookTimeoutMs: number;
  /** Least severe level the default logger prints. Default `info`; env `BELFRY_LOG_LEVEL`. */
  logLevel: HostLogLevel;
  locking: {
    /** Default `memory`; env `BELFRY_LOCKING`. Any other name must be provided by a loaded plugin's `[plugin.locking]`. */
    backend: LockBackendName;
    /** Where `backend` was set (file and key, or environment variable), for error messages. */
    backendFrom?: string;
    /** Redis URL for `backend = "redis"`, or URLs of independent servers for a quorum; env `REDIS_URL`. */
    redisUrl: string | string[] | undefined;
    /** PostgreSQL URL for `backend = "pg"`; env `DATABASE_URL`. */
    databaseUrl: string | undefined;
    /** PostgreSQL lock mode. Default `lease`. */
    pgMode: 'lease' | 'advisory';
    /** Prefix of every lock key (Redis key prefix, or Postgres key prefix). Default `belfry:`. */
    keyPrefix: string;
    /** `[locking.options]`: settings of a plugin-provided backend, passed to its `createLocking`. Default `{}`. */
    options?: Record<string, JsonValue>;
  };
  scheduler: {
    /** Largest clock difference between nodes that exactly-once firing must survive, in ms. Default 5000. */
    skewToleranceMs: number;
    /** Lifetime of a run's lock, renewed while the run lasts, in ms. Default 30000. */
    lockTtlMs: number;
  };
  /** Per-plugin settings from `[plugins.<id>]`, handed to `onServerStart`. */
  plugins: Record<string, JsonValue>;
  /** `[[pollers]]`: the poller jobs, in file order. Default none. */
  pollers?: PollerJobSettings[];
  /** The tables the caller asked `loadHostConfig` to accept (`extraTables`), as their schemas parsed them; absent tables are missing. */
  extra?: Record<string, unknown>;
}

/** One `[[pollers]]` job: an instance of a poller kind with its own schedule and config. */
export interface PollerJobSettings {
  /** Unique, `^[a-z0-9][a-z0-9_.-]{0,127}$`; names the job's cursor, schedule and lock. */
  id: string;
  /** A kind one loaded plugin's `[plugin.poller]` declares. */
  kind: string;
  /** Repeating schedule expression; exactly one of `cron` and `at`. */
  cron?: string;
  /** One-shot ISO 8601 instant with an offset; exactly one of `cron` and `at`. */
  at?: string;
  /** IANA zone the cron fields are read in. Default `UTC`. */
  timezone?: string;
  /** Default `require_global`. */
  locking: LockingHint;
  /** Default `run_once`. */
  missedRunPolicy: MissedRunPolicy;
  /** Plain JSON handed to every tick. Default `null`. */
  config: JsonValue;
  /** `--max-old-space-size` (MiB) of the Node process serving this job's plugin. Default: Node's own. */
  maxOldSpaceMb?: number;
  /** Where the job is declared, for messages: `<file>: pollers[2]`. */
  where: string;
}
