import type { Logger } from '@belfry/plugin-api';
import type { Cluster, Redis } from 'ioredis';

/** An ioredis client: a single server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisLockClient = Redis | Cluster;

/** A monotonic time source in milliseconds, such as `performance`. */
export interface MonotonicClock {
  now(): number;
}

/**
 * Options of `RedisLocking`. Give exactly one of `client`, `clients` or
 * `url`. One server (or one Redis Cluster) gives a single-instance lock;
 * several independent servers give a Redlock quorum.
 */
export interface RedisLockingOptions {
  /**
   * An ioredis client you own (a `Redis` or a `Cluster`): single-instance
   * mode. `cleanup()` leaves it open. Commands are only sent while it is
   * ready, so its offline queue never holds lock commands.
   */
  client?: RedisLockClient;
  /**
   * Clients of independent Redis servers (not replicas of each other):
   * with two or more, locks need a quorum of them (Redlock). One client is
   * the same as `client`. `cleanup()` leaves them open.
   */
  clients?: RedisLockClient[];
  /**
   * `redis://[user:password@]host:port[/db]` or `rediss://…` URL, or an
   * array of URLs of independent servers (no host:port twice) for a quorum. RedisLocking creates
   * these clients with bounded timeouts and no offline queue, and
   * `cleanup()` closes them.
   */
  url?: string | string[];
  /**
   * Prepended to every Redis key this backend writes. Must not contain `{`
   * or `}` (the hash tag that keeps a lock and its fence in one cluster slot
   * follows it). Default `'belfry:lock:'`.
   */
  keyPrefix?: string;
  /**
   * How many instances must grant a lock, renew or release, in quorum mode.
   * A strict majority: more than half the instances, at most all of them.
   * Default `Math.floor(n / 2) + 1` for `n` instances; 1 with one instance.
   */
  quorum?: number;
  /**
   * Quorum mode: fraction of the TTL allowed for clock drift between the
   * servers; a lock is valid for `ttlMs − elapsed − ttlMs × driftFactor −
   * 2 ms`. Between 0 and 0.5. Default `0.01`.
   */
  driftFactor?: number;
  /**
   * Deadline, in ms, of every `tryLock`, `renew` and `release`: waiting for
   * a connection still being set up, and every round trip the call makes
   * (a quorum `tryLock` may make three: acquire, fence reconciliation,
   * undo). A server that does not answer in time counts as failed.
   * `supports.maxCallMs` is `timeoutMs + 1000`. Default `1000`.
   */
  timeoutMs?: number;
  /**
   * @deprecated Use `timeoutMs`, the deadline of a whole call. This was
   * the deadline of one round; given alone it sets `timeoutMs` to
   * `commandTimeoutMs × 3` for a quorum and `× 2` for one server, the
   * most a call could take before.
   */
  commandTimeoutMs?: number;
  /**
   * Clients made from `url`: longest wait, in ms, for a TCP connection to be
   * set up before the attempt counts as failed and is retried. Default `1000`.
   */
  connectTimeoutMs?: number;
  /**
   * Clients made from `url`: longest pause, in ms, between reconnection
   * attempts to a server that went away (the pause grows by 100 ms per
   * attempt up to this). Reconnection never gives up. Default `1000`.
   */
  reconnectMaxDelayMs?: number;
  /**
   * How long, in ms, a key's fence counter is kept after its last lock.
   * A counter that is gone restarts from the server's clock in
   * microseconds, which is above every fence handed out before, so this
   * bounds memory for keys that are never locked again (say one key per
   * scheduled occurrence) without letting fences go back. Default
   * `86_400_000` (24 h).
   */
  fenceRetentionMs?: number;
  /**
   * Measures elapsed time for the validity check of a lock just taken or
   * renewed; only `now()` is used, and it must be monotonic (wall-clock
   * time is not). A `ManualClock` from `@belfry/scheduler-core` fits.
   * Default `performance`.
   */
  clock?: MonotonicClock;
  /** @deprecated Use `clock`, the same option under the name both backends share. */
  monotonicClock?: MonotonicClock;
  /** Backend name reported as `locking.name`. Default `'redis'`. */
  name?: string;
  /**
   * Where warnings go: a server that would forget its locks on a restart
   * (no AOF) is reported here once, with its `host:port` and never a
   * password. Default `consoleLogger(resolveLogLevel())`: the console, at
   * the level of `BELFRY_LOG_LEVEL` (default `info`).
   */
  logger?: Logger;
}
