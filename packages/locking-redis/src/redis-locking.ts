import { LockBackendError, LockLostError, type LockHandle, type LockingPlugin, type LockingSupports, type Logger, type TryLockOptions } from '@belfry/plugin-api';
import { assertLockHandle, assertLockKey, assertTryLockOptions, assertTtlMs, errorText, redactSecrets } from '@belfry/internal';
import { lockKeys, type LockKeys } from './lock-keys.js';
import { mintToken, TOKEN_LENGTH } from './mint-token.js';
import { ACQUIRE_SCRIPT, RAISE_FENCE_SCRIPT, RELEASE_SCRIPT, RENEW_SCRIPT, type LuaScript } from './lua-scripts.js';
import type { InstanceReply, RedisInstance } from './redis-instance.js';
import { firstQuorum, type PartialReplies } from './first-quorum.js';
import type { MonotonicClock, RedisLockClient, RedisLockingOptions } from './redis-locking-options.js';
import { redisFix } from './redis-fix.js';
import { resolveOptions } from './resolve-options.js';

/**
 * Longest lock key accepted, in UTF-16 code units. Redis itself takes keys
 * of up to 512 MB; the limit only keeps every command small.
 */
export const REDIS_LOCK_MAX_KEY_LENGTH = 8192;

/** Separates a lock token from the fence scope it was taken in. */
const SCOPE_MARK = ':';

/** Redlock's allowance for the granularity of Redis expiry, in ms. */
const EXPIRY_PRECISION_MS = 2;

/**
 * Added to `timeoutMs` in `supports.maxCallMs`: the time a busy machine may
 * take to run a timer that is due (over a second was seen with the CPUs
 * saturated), and the call's bookkeeping around its rounds.
 */
const CALL_SLACK_MS = 1000;

/** A key as shown in messages: quoted, and cut short when long. */
function show(key: string): string {
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key);
}

function isFence(reply: InstanceReply | undefined): reply is { ok: true; value: number } {
  return reply?.ok === true && typeof reply.value === 'number';
}

/** The script found the caller's token (renew extended it, raise-fence confirmed it). */
function isExtended(reply: InstanceReply | undefined): boolean {
  return reply?.ok === true && reply.value === 1;
}

function isAnswer(reply: InstanceReply | undefined): boolean {
  return reply?.ok === true;
}

/**
 * Distributed locks on Redis. With one server (or one Redis Cluster) a lock
 * is a key set with `SET NX PX` holding a random token; with several
 * independent servers it is a Redlock quorum. Every handle carries a fence
 * that strictly increases per key across successive holders, in both modes.
 */
export class RedisLocking implements LockingPlugin {
  readonly name: string;
  /**
   * Fences on every handle, shared locks between instances on the same
   * servers, keys up to 8,192 characters, and the most a call takes even
   * when every server is dead or silent: `timeoutMs + 1000` ms, 2000 ms
   * with the defaults.
   */
  readonly supports: LockingSupports;
  private readonly instances: RedisInstance[];
  private readonly logger: Logger;
  private readonly found = new Set<string>();
  private readonly onReady = (): void => {
    void this.checkPersistence();
  };
  private readonly quorum: number;
  private readonly keyPrefix: string;
  private readonly driftFactor: number;
  private readonly timeoutMs: number;
  private readonly fenceRetention: string;
  private readonly clock: MonotonicClock;
  private closed = false;

  constructor(options: RedisLockingOptions) {
    const resolved = resolveOptions(options);
    this.name = resolved.name;
    this.instances = resolved.instances;
    this.quorum = resolved.quorum;
    this.keyPrefix = resolved.keyPrefix;
    this.driftFactor = resolved.driftFactor;
    this.timeoutMs = resolved.timeoutMs;
    this.fenceRetention = String(resolved.fenceRetentionMs);
    this.clock = resolved.clock;
    this.logger = resolved.logger;
    this.supports = {
      fences: true,
      fenceKey: true,
      peers: true,
      maxKeyLength: REDIS_LOCK_MAX_KEY_LENGTH,
      maxCallMs: this.timeoutMs + CALL_SLACK_MS,
    };
    // Persistence is read once per server when its connection is first ready, never on a lock call's path.
    for (const instance of this.instances) instance.client.on('ready', this.onReady);
    if (this.instances.some((instance) => instance.client.status === 'ready')) this.onReady();
  }

  /**
   * Warnings found about the servers, for a host to show: today, servers
   * without AOF, which forget their locks on a restart (see the README).
   * Each is also logged once through `logger.warn`.
   */
  get warnings(): readonly string[] {
    return [...this.found];
  }

  /**
   * Reads the persistence settings of every server that is connected (each
   * is read once; later calls reuse the answer) and resolves `warnings`.
   * Runs by itself when a connection is first ready; await it to know the
   * answer is in. Never rejects: a server that cannot be read is retried
   * on the next call.
   */
  async checkPersistence(): Promise<readonly string[]> {
    const inQuorum = this.instances.length > 1;
    await Promise.all(
      this.instances.map(async (instance) => {
        try {
          for (const warning of await instance.checkPersistence(inQuorum, this.timeoutMs)) {
            if (this.found.has(warning)) continue;
            this.found.add(warning);
            this.logger.warn(warning);
          }
        } catch (error) {
          this.logger.debug?.(`Redis ${instance.label}: could not read its persistence settings: ${redactSecrets(errorText(error), instance.secrets)}`);
        }
      }),
    );
    return this.warnings;
  }

  /**
   * The ioredis clients of the instances, in the order given, so a store
   * (`@belfry/store-redis`) can share this backend's connections. They stay
   * this backend's: `cleanup()` closes the ones it made from `url`.
   */
  get clients(): readonly RedisLockClient[] {
    return this.instances.map((instance) => instance.client);
  }

  /** Number of instances and how many must agree: `{ instances: 3, quorum: 2 }`. */
  get topology(): { instances: number; quorum: number } {
    return { instances: this.instances.length, quorum: this.quorum };
  }

  async tryLock(key: string, ttlMs: number, options?: TryLockOptions): Promise<LockHandle | null> {
    assertLockKey(key, REDIS_LOCK_MAX_KEY_LENGTH);
    assertTtlMs(ttlMs);
    const fenceKey = assertTryLockOptions(options, REDIS_LOCK_MAX_KEY_LENGTH);
    this.assertOpen();
    // Awaited rather than returned: resolving with a promise would cost the caller two more turns of the microtask queue.
    return await this.acquire(key, ttlMs, fenceKey, this.callDeadline());
  }

  async renew(handle: LockHandle): Promise<void> {
    assertLockHandle(handle, REDIS_LOCK_MAX_KEY_LENGTH);
    this.assertOpen();
    const { key, lockId, ttlMs } = handle;
    const started = this.clock.now();
    const replies = await this.onEvery(RENEW_SCRIPT, this.handleKeys(handle), [lockId, String(ttlMs)], this.callDeadline(), this.#extendedOnQuorum);
    const extended = replies.filter(isExtended).length;
    const failed = replies.filter((reply) => reply?.ok === false).length;
    const elapsed = this.clock.now() - started;
    if (extended >= this.quorum && elapsed < this.validityBudget(ttlMs)) return;
    if (extended + failed < this.quorum) throw new LockLostError(key);
    const problem =
      extended >= this.quorum
        ? `renewing took ${Math.round(elapsed)} ms, too long for a ${ttlMs} ms TTL`
        : this.shortfall('extended it', extended, replies);
    throw this.failure(`Redis could not renew the lock on ${show(key)}: ${problem}`, replies);
  }

  async release(handle: LockHandle): Promise<void> {
    assertLockHandle(handle, REDIS_LOCK_MAX_KEY_LENGTH);
    this.assertOpen();
    const replies = await this.onEvery(RELEASE_SCRIPT, this.handleKeys(handle), [handle.lockId], this.callDeadline(), this.#answeredOnQuorum);
    const answered = replies.filter(isAnswer).length;
    // Where the release did not arrive, the key still expires by its TTL.
    if (answered >= this.quorum) return;
    throw this.failure(`Redis could not release the lock on ${show(handle.key)}: ${this.shortfall('answered', answered, replies)}`, replies);
  }

  /** Closes the connections this backend opened from `url`; clients passed in stay open. */
  async cleanup(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const instance of this.instances) instance.client.off('ready', this.onReady);
    await Promise.all(this.instances.map((instance) => instance.close(this.timeoutMs)));
  }

  /** A `LockBackendError` naming the fix for the failures seen, with every known password scrubbed. */
  private failure(message: string, replies: PartialReplies): LockBackendError {
    const reasons = replies.flatMap((reply) => (reply?.ok === false ? [reply.reason] : []));
    const secrets = this.instances.flatMap((instance) => instance.secrets);
    return new LockBackendError(redactSecrets(`${message}.${redisFix(reasons)}`, secrets));
  }

  /** The rounds of a tryLock, all under the call's one deadline. */
  private async acquire(key: string, ttlMs: number, fenceKey: string | undefined, deadline: number): Promise<LockHandle | null> {
    const keys = lockKeys(this.keyPrefix, key, fenceKey);
    // The lockId carries the scope, so renew and release find the scoped lock key from the handle alone.
    const token = fenceKey === undefined ? mintToken() : `${mintToken()}${SCOPE_MARK}${fenceKey}`;
    const started = this.clock.now();

    const replies = await this.onEvery(ACQUIRE_SCRIPT, keys, [token, String(ttlMs), this.fenceRetention], deadline, this.#fenceOnQuorum);
    const fences = replies.flatMap((reply) => (isFence(reply) ? [reply.value] : []));
    const failed = replies.filter((reply) => reply?.ok === false).length;
    let problem: string;

    if (fences.length >= this.quorum) {
      const fence = Math.max(...fences);
      const atFence = fences.filter((value) => value === fence).length;
      // In the steady state a quorum's counters agree: no second round.
      const confirmed = atFence >= this.quorum ? atFence : await this.confirmFence(keys, token, fence, deadline);
      const elapsed = this.clock.now() - started;
      if (confirmed >= this.quorum && elapsed < this.validityBudget(ttlMs)) {
        return { key, lockId: token, ttlMs, fence };
      }
      problem =
        confirmed >= this.quorum
          ? `taking it took ${Math.round(elapsed)} ms, too long for a ${ttlMs} ms TTL to leave any validity`
          : `only ${confirmed} instance${confirmed === 1 ? '' : 's'} confirmed it, ${this.quorum} needed`;
    } else {
      problem = this.shortfall('granted it', fences.length, replies);
    }

    // Undo everywhere the lock may have been set, in parallel: where it was
    // granted (awaited within the call's deadline, so no partial lock
    // outlives this call; once the deadline has passed the undo is still
    // sent, right away), and where the reply was lost or not waited for,
    // since that command can still run (sent behind it on the same
    // connection; not awaited, that server is failing or slow).
    const granted = this.instances.filter((_, index) => isFence(replies[index]));
    const unknown = this.instances.filter((_, index) => replies[index]?.ok !== true);
    if (unknown.length > 0) void this.onEvery(RELEASE_SCRIPT, keys, [token], this.callDeadline(), undefined, unknown, true);
    if (granted.length > 0) await this.onEvery(RELEASE_SCRIPT, keys, [token], deadline, undefined, granted, true);

    // Contention decides it only if no failed instance could have changed the outcome.
    if (fences.length + failed < this.quorum) return null;
    throw this.failure(`Redis could not lock ${show(key)}: ${problem}`, replies);
  }

  /**
   * How many instances are known to hold a fence counter of at least `fence`
   * while still holding our token, when too few INCRs returned `fence`
   * itself (which proves it atomically): one more round raises every
   * instance's counter to `fence` and checks the token again.
   */
  private async confirmFence(keys: LockKeys, token: string, fence: number, deadline: number): Promise<number> {
    // Every instance's answer is awaited: all counters then agree, so the next lock of the key (or scope) takes one round.
    const replies = await this.onEvery(RAISE_FENCE_SCRIPT, keys, [token, String(fence), this.fenceRetention], deadline);
    return replies.filter(isExtended).length;
  }

  /** The Redis keys of a handle's lock: a scoped lockId is `<token>:<fenceKey>`. */
  private handleKeys(handle: LockHandle): LockKeys {
    const scoped = handle.lockId.length > TOKEN_LENGTH && handle.lockId[TOKEN_LENGTH] === SCOPE_MARK;
    return lockKeys(this.keyPrefix, handle.key, scoped ? handle.lockId.slice(TOKEN_LENGTH + 1) : undefined);
  }

  /** When a call that starts now must have settled, on the `performance.now()` scale. */
  private callDeadline(): number {
    return performance.now() + this.timeoutMs;
  }

  /** Time an acquisition or renewal may take and still leave the lock valid. */
  private validityBudget(ttlMs: number): number {
    if (this.instances.length === 1) return ttlMs;
    return ttlMs - ttlMs * this.driftFactor - EXPIRY_PRECISION_MS;
  }

  /**
   * Runs `script` on `instances` in parallel, by `deadline` (see
   * `callDeadline`). With `enough`, resolves as soon as the replies in so
   * far are enough to decide (see `firstQuorum`); otherwise, or when they
   * never are, once every instance has answered.
   */
  private onEvery(
    script: LuaScript,
    keys: LockKeys,
    args: string[],
    deadline: number,
    enough?: (replies: PartialReplies) => boolean,
    instances = this.instances,
    inline = false,
  ): Promise<PartialReplies> {
    // Renew and release read the lock key only; sending just that keeps the command small.
    const redisKeys = script === RENEW_SCRIPT || script === RELEASE_SCRIPT ? [keys.lock] : [keys.lock, keys.fence];
    if (instances.length === 1) return instances[0]!.run(script, redisKeys, args, deadline, inline).then((reply) => [reply]);
    const pending = instances.map((instance) => instance.run(script, redisKeys, args, deadline, inline));
    return enough === undefined ? Promise.all(pending) : firstQuorum(pending, enough);
  }

  /** A quorum of the replies in so far returned one same fence, the highest of them: no straggler changes the lock's fence. */
  readonly #fenceOnQuorum = (replies: PartialReplies): boolean => {
    let highest = -Infinity;
    let atHighest = 0;
    for (const reply of replies) {
      if (!isFence(reply)) continue;
      if (reply.value > highest) [highest, atHighest] = [reply.value, 1];
      else if (reply.value === highest) atHighest += 1;
    }
    return atHighest >= this.quorum;
  };

  readonly #extendedOnQuorum = (replies: PartialReplies): boolean => replies.filter(isExtended).length >= this.quorum;

  readonly #answeredOnQuorum = (replies: PartialReplies): boolean => replies.filter(isAnswer).length >= this.quorum;

  private shortfall(verb: string, count: number, replies: PartialReplies): string {
    const failures = replies.flatMap((reply, index) => (reply?.ok === false ? [`${this.instances[index]?.label}: ${reply.reason}`] : []));
    if (this.instances.length === 1) return failures.join('; ') || `${verb} on 0 instances`;
    return `${count} of ${this.instances.length} instances ${verb}, ${this.quorum} needed${failures.length > 0 ? ` (${failures.join('; ')})` : ''}`;
  }

  private assertOpen(): void {
    if (this.closed) throw new LockBackendError(`RedisLocking "${this.name}" was closed by cleanup(). Fix: create a new RedisLocking to take, renew or release locks`);
  }
}
