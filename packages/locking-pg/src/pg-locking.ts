import { InvalidArgumentError, LockBackendError, systemClock, type Clock, type LockHandle, type LockingPlugin, type LockingSupports, type TryLockOptions } from '@belfry/plugin-api';
import { assertLockHandle, assertTryLockOptions, assertTtlMs, describeValue, parseServerUrl, quoteIdentifier, urlSecrets } from '@belfry/internal';
import pg from 'pg';
import { AdvisoryMode } from './advisory-mode.js';
import { assertPgLockKey, PG_LOCK_MAX_KEY_LENGTH } from './assert-pg-lock-key.js';
import { LeaseMode } from './lease-mode.js';
import type { LockMode } from './lock-mode.js';
import type { PgLockingOptions, PgLockMode } from './pg-locking-options.js';
import { toLockBackendError, type ErrorContext } from './to-lock-backend-error.js';

/**
 * Each call's own deadline by default: connecting, the statement and, when
 * it overruns, the cancel request all fit in it, so with the slack below a
 * dead server fails every call within the contract's 2 s.
 */
const DEFAULT_TIMEOUT_MS = 1000;
/**
 * Added to `timeoutMs` in `supports.maxCallMs`: the time a busy machine may
 * take to run a timer that is due (over a second was seen with the CPUs
 * saturated), and the call's bookkeeping after it.
 */
const CALL_SLACK_MS = 1000;
const MAX_KEY_PREFIX_LENGTH = 256;
/** Connections of an owned pool kept open while idle: enough that a lock call after a quiet spell need not connect first. */
const DEFAULT_MIN_CONNECTIONS = 1;
/** How long an idle connection above the minimum stays open in an owned pool. */
const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

/**
 * Distributed locks in PostgreSQL, in one of two modes (see
 * {@link PgLockMode}). Call `await setup()` once — it is idempotent and safe
 * to run from many nodes at once — before the first lock.
 *
 * ```ts
 * const locking = new PgLocking({ connectionString: process.env.DATABASE_URL });
 * await locking.setup();
 * const handle = await locking.tryLock('reports:nightly', 30_000);
 * ```
 */
export class PgLocking implements LockingPlugin {
  readonly name: string;
  /** The mode this instance runs in. */
  readonly mode: PgLockMode;
  /**
   * Fences on every handle; peers (instances sharing locks) in lease mode
   * only, since an advisory lock belongs to one connection; keys up to
   * 4,096 characters; and the most any call takes even when the server is
   * gone: `timeoutMs + 1000` ms, 2000 ms with the defaults.
   */
  readonly supports: LockingSupports;
  /**
   * The pool this backend queries through (the given `pool`, or the one it
   * made from `connectionString`), so a store (`@belfry/store-pg`) can share
   * its connections. It stays this backend's: `cleanup()` ends a pool it made.
   */
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly impl: LockMode;
  private readonly errorContext: Omit<ErrorContext, 'operation'>;
  private closed = false;

  constructor(options: PgLockingOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`PgLocking options must be an object with "pool" or "connectionString" (got ${describeValue(options)})`);
    }
    const mode = options.mode ?? 'lease';
    if (mode !== 'lease' && mode !== 'advisory') {
      throw new InvalidArgumentError(`PgLocking option "mode" must be 'lease' or 'advisory' (got ${describeValue(mode)})`);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    assertPositiveInteger(timeoutMs, 'timeoutMs');
    const maxConnections = options.maxConnections ?? 10;
    assertPositiveInteger(maxConnections, 'maxConnections');
    const minConnections = options.minConnections ?? DEFAULT_MIN_CONNECTIONS;
    if (typeof minConnections !== 'number' || !Number.isSafeInteger(minConnections) || minConnections < 0 || minConnections > maxConnections) {
      throw new InvalidArgumentError(
        `PgLocking option "minConnections" must be an integer from 0 to maxConnections (${maxConnections}) (got ${describeValue(minConnections)})`,
      );
    }
    const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    assertPositiveInteger(idleTimeoutMs, 'idleTimeoutMs');
    const keyPrefix = options.keyPrefix ?? 'belfry:lock:';
    if (typeof keyPrefix !== 'string' || keyPrefix.length > MAX_KEY_PREFIX_LENGTH || keyPrefix.includes('\u0000')) {
      throw new InvalidArgumentError(
        `PgLocking option "keyPrefix" must be a string of at most ${MAX_KEY_PREFIX_LENGTH} characters without \\u0000 (got ${describeValue(keyPrefix)})`,
      );
    }
    const clock: Clock = options.clock ?? systemClock;
    if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidArgumentError('PgLocking option "clock" must have now() and setTimer()');
    }
    const name = options.name ?? 'pg';
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`PgLocking option "name" must be a non-empty string (got ${describeValue(name)})`);
    }
    if (options.applicationName !== undefined && typeof options.applicationName !== 'string') {
      throw new InvalidArgumentError(`PgLocking option "applicationName" must be a string (got ${describeValue(options.applicationName)})`);
    }
    const tableName = options.table ?? 'belfry_locks';
    const schema = quoteIdentifier(options.schema ?? 'public', 'PgLocking option "schema"');
    const table = quoteIdentifier(tableName, 'PgLocking option "table"');
    const sequence = quoteIdentifier(options.sequence ?? `${String(tableName)}_fence_seq`, 'PgLocking option "sequence"');
    const relations = { schema, table: `${schema}.${table}`, sequence: `${schema}.${sequence}` };

    const { pool, ownsPool, server, secrets } = openPool(options, timeoutMs, { max: maxConnections, min: minConnections, idleTimeoutMs });
    this.pool = pool;
    this.ownsPool = ownsPool;
    this.mode = mode;
    this.name = name;
    this.supports = { fences: true, fenceKey: true, peers: mode === 'lease', maxKeyLength: PG_LOCK_MAX_KEY_LENGTH, maxCallMs: timeoutMs + CALL_SLACK_MS };
    this.errorContext = {
      server,
      relation: mode === 'lease' ? `lock table ${relations.table} (or its sequence ${relations.sequence})` : `fence sequence ${relations.sequence}`,
      secrets,
      timeoutMs,
    };
    const context = { relations, keyPrefix, timeoutMs, setupTimeoutMs: Math.max(timeoutMs, 10_000), clock };
    this.impl = mode === 'lease' ? new LeaseMode(pool, context) : new AdvisoryMode(pool, context);
  }

  /**
   * Creates what the mode needs (`CREATE … IF NOT EXISTS`): the schema when
   * it is not `public`, the fence sequence, and in lease mode the lock
   * table. Idempotent and safe to call from many nodes at once.
   */
  async setup(): Promise<void> {
    await this.guard(() => 'setup()', () => this.impl.setup());
  }

  async tryLock(key: string, ttlMs: number, options?: TryLockOptions): Promise<LockHandle | null> {
    assertPgLockKey(key);
    assertTtlMs(ttlMs);
    // Both modes draw every fence from one sequence, which increases across all keys: any scope holds as it is.
    assertTryLockOptions(options, PG_LOCK_MAX_KEY_LENGTH);
    this.assertOpen();
    return this.guard(() => `tryLock(${JSON.stringify(key.slice(0, 80))})`, () => this.impl.tryLock(key, ttlMs));
  }

  async renew(handle: LockHandle): Promise<void> {
    assertLockHandle(handle, PG_LOCK_MAX_KEY_LENGTH);
    assertPgLockKey(handle.key);
    this.assertOpen();
    await this.guard(() => `renew(${JSON.stringify(handle.key.slice(0, 80))})`, () => this.impl.renew(handle));
  }

  async release(handle: LockHandle): Promise<void> {
    assertLockHandle(handle, PG_LOCK_MAX_KEY_LENGTH);
    assertPgLockKey(handle.key);
    this.assertOpen();
    await this.guard(() => `release(${JSON.stringify(handle.key.slice(0, 80))})`, () => this.impl.release(handle));
  }

  /**
   * Lets go of every advisory lock this instance holds and ends the pool
   * if PgLocking created it. Lease rows are left to expire (their holders
   * may live in other processes). Idempotent.
   */
  async cleanup(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.impl.close();
    if (this.ownsPool) await this.pool.end();
  }

  /**
   * After cleanup() every call rejects alike, in both modes and with either
   * kind of pool: a borrowed pool outlives cleanup(), and taking locks on it
   * afterwards would pin connections nobody lets go.
   */
  private assertOpen(): void {
    if (this.closed) {
      throw new LockBackendError(`PgLocking "${this.name}" was closed by cleanup(). Fix: create a new PgLocking to take, renew or release locks`);
    }
  }

  /** Runs `work`, turning its failures into `LockBackendError`; `operation` names the call, built only on failure. */
  private async guard<R>(operation: () => string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      throw toLockBackendError(error, { ...this.errorContext, operation: operation() });
    }
  }
}

function assertPositiveInteger(value: unknown, option: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`PgLocking option "${option}" must be a positive integer (got ${describeValue(value)})`);
  }
}

/** Sizing of a pool PgLocking creates. */
interface PoolSizing {
  max: number;
  min: number;
  idleTimeoutMs: number;
}

function openPool(
  options: PgLockingOptions,
  timeoutMs: number,
  sizing: PoolSizing,
): { pool: pg.Pool; ownsPool: boolean; server: string; secrets: string[] } {
  const { pool, connectionString } = options;
  if ((pool === undefined) === (connectionString === undefined)) {
    throw new InvalidArgumentError('PgLocking needs exactly one of the options "pool" or "connectionString"');
  }
  if (pool !== undefined) {
    if (typeof pool !== 'object' || pool === null || typeof (pool as { connect?: unknown }).connect !== 'function') {
      throw new InvalidArgumentError(`PgLocking option "pool" must be a pg.Pool (got ${describeValue(pool)})`);
    }
    const config = (pool as { options?: { host?: unknown; port?: unknown; database?: unknown; password?: unknown; connectionString?: unknown } }).options ?? {};
    const secrets = typeof config.password === 'string' && config.password.length > 0 ? [config.password] : [];
    // A pool made from a URL keeps it as given; its password is scrubbed too, if the URL parses at all.
    if (typeof config.connectionString === 'string' && URL.canParse(config.connectionString)) {
      const url = new URL(config.connectionString);
      secrets.push(...urlSecrets(url));
      return { pool, ownsPool: false, server: describeServer(url.hostname, url.port, url.pathname.slice(1)), secrets };
    }
    return { pool, ownsPool: false, server: describeServer(config.host, config.port, config.database), secrets };
  }
  // libpq key=value strings are not accepted: only a URL can be checked for well-formedness here,
  // and pg reads anything else its own way. Build a pg.Pool from them and pass it as `pool` instead.
  const url = parseServerUrl(connectionString, {
    schemes: ['postgres', 'postgresql'],
    where: 'PgLocking option "connectionString"',
    example: 'postgres://user:password@127.0.0.1:5432/app (or pass a pg.Pool as "pool")',
  });
  const created = new pg.Pool({
    connectionString: url.href,
    max: sizing.max,
    // pg-pool closes idle connections above `min` after `idleTimeoutMillis`. Only connections back in the
    // pool are idle: one an advisory lock pins stays checked out, so it is never closed under its lock.
    min: sizing.min,
    idleTimeoutMillis: sizing.idleTimeoutMs,
    // A little over the call bound: the call's own deadline answers first, with its clearer message,
    // and the abandoned attempt is given up shortly after.
    connectionTimeoutMillis: timeoutMs + 500,
    allowExitOnIdle: true,
    keepAlive: true,
    application_name: options.applicationName ?? 'belfry-locking-pg',
  });
  // Idle connections the server drops emit 'error' on the pool; the pool discards them, and the next call connects afresh.
  created.on('error', () => {});
  const secrets = urlSecrets(url);
  let database = url.pathname.replace(/^\//, '');
  try {
    database = decodeURIComponent(database);
  } catch {
    // Shown as written.
  }
  return { pool: created, ownsPool: true, server: describeServer(url.hostname, url.port, database), secrets };
}

function describeServer(host: unknown, port: unknown, database: unknown): string {
  const h = typeof host === 'string' && host.length > 0 ? host : 'localhost';
  const p = (typeof port === 'string' && port.length > 0) || typeof port === 'number' ? String(port) : '5432';
  const d = typeof database === 'string' && database.length > 0 ? `/${database}` : '';
  return `${h}:${p}${d}`;
}
