import { LockBackendError, LockLostError, type LockHandle } from '@belfry/plugin-api';
import type { Pool, PoolClient } from 'pg';
import { advisoryKey } from './advisory-key.js';
import { advisoryStatements } from './advisory-statements.js';
import { connectWithin } from './connect-within.js';
import { announcedPid, knownDirectSession, rememberServerPid } from './direct-session.js';
import { isConnectionLoss } from './is-connection-loss.js';
import type { LockMode, ModeContext } from './lock-mode.js';
import { serialised, splitLockKey, type PinnedLock } from './pinned-lock.js';
import { queryWithin } from './query-within.js';
import { randomToken } from './random-token.js';
import { runSetup } from './run-setup.js';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/** Lock ids of this many recently used keys are kept, so recurring keys are not hashed on every call. */
const LOCK_KEY_CACHE_SIZE = 1024;

/**
 * Advisory mode: `pg_try_advisory_lock` on a hash of the key, held by a
 * connection pinned to the lock until it is released. The server frees the
 * lock when that connection drops; the TTL is enforced here, by letting the
 * lock go when the holder has not renewed it in time. One round trip per
 * acquire and per release, even on a new connection; no session settings,
 * no transaction.
 *
 * Connections through a pooling proxy are refused. PgBouncer answers the
 * startup with its own random backend key, so the pid the client was given
 * differs from the server's `pg_backend_pid()`. Behind such a proxy a
 * session lock would stay on a server connection that other clients'
 * transactions reuse, and they would "acquire" it re-entrantly — two
 * holders — so advisory mode fails loudly there instead. The acquire
 * statement itself compares the two pids before it locks anything. It goes
 * unnamed on a connection not yet shown to be direct (a statement prepared
 * through a pooler would stay behind on a shared server session), and
 * prepared once per connection from then on.
 */
export class AdvisoryMode implements LockMode {
  private readonly byLockId = new Map<string, PinnedLock>();
  /** Keys this instance holds, so a second local tryLock answers without a connection. */
  private readonly heldKeys = new Set<string>();
  private readonly lockKeys = new Map<string, string>();
  private readonly statements: ReturnType<typeof advisoryStatements>;
  /** Set by `close()`: a lock won after that is let go at once, never handed out. */
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly context: ModeContext,
  ) {
    this.statements = advisoryStatements(context.relations.sequence);
  }

  setup(): Promise<void> {
    const { schema, sequence } = this.context.relations;
    return runSetup(this.pool, this.context.setupTimeoutMs, `belfry-locking-pg setup ${sequence}`, [
      ...(schema === '"public"' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${schema}`]),
      `CREATE SEQUENCE IF NOT EXISTS ${sequence}`,
    ]);
  }

  async tryLock(key: string, ttlMs: number): Promise<LockHandle | null> {
    if (this.closed) throw closedError();
    if (this.heldKeys.has(key)) return null;
    const deadline = performance.now() + this.context.timeoutMs;
    const remaining = (): number => Math.max(1, Math.round(deadline - performance.now()));
    const lockKey = this.lockKeyOf(key);
    for (let attempt = 1; ; attempt += 1) {
      const client = await connectWithin(this.pool, remaining());
      let broken: unknown;
      const onError = (error: unknown): void => {
        broken = error;
      };
      client.on('error', onError);
      let fence: string | null;
      try {
        const announced = announcedPid(client) ?? null;
        const { name, text } = this.statements.acquire;
        const query = knownDirectSession(client) === true ? { name, text, values: [lockKey, announced] } : { text, values: [lockKey, announced] };
        const result = await queryWithin<{ pid: number; fence: string | null }>(client, query, remaining());
        const row = result.rows[0];
        if (!rememberServerPid(client, row?.pid)) throw poolerError(announced);
        fence = row?.fence ?? null;
        if (broken !== undefined) throw broken;
      } catch (error) {
        // A session lock survives a failed statement; dropping the session is the only sure way to free it.
        client.removeListener('error', onError);
        client.release(error instanceof Error ? error : new Error(String(error)));
        // A pooled connection that died while idle: its session and any lock it took are gone, so one retry is safe.
        if (attempt === 1 && isConnectionLoss(error) && deadline - performance.now() > 50) continue;
        throw error;
      }
      client.removeListener('error', onError);
      if (fence === null) {
        client.release();
        return null;
      }
      const lockId = randomToken();
      const pinned: PinnedLock = {
        key,
        lockId,
        ttlMs,
        lockKey,
        client,
        expiresAt: 0,
        cancelTimer: () => {},
        timerGeneration: 0,
        detach: () => {},
        busy: Promise.resolve(),
      };
      // A checked-out connection has no error listener of the pool's: this one both
      // keeps a dying connection from crashing the process and marks the lock lost.
      const onFailure = (error: Error): void => this.drop(pinned, `its connection failed (${error.message})`);
      const onEnd = (): void => this.drop(pinned, 'its connection closed');
      client.on('error', onFailure);
      client.on('end', onEnd);
      pinned.detach = () => {
        client.removeListener('error', onFailure);
        client.removeListener('end', onEnd);
      };
      if (this.closed) {
        // cleanup() ran while this lock was being taken: nobody will release it, and an owned pool waits for its connection.
        await this.letGo(pinned, 'the locking instance was closed');
        throw closedError();
      }
      this.byLockId.set(lockId, pinned);
      this.heldKeys.add(key);
      this.armTimer(pinned);
      return { key, lockId, ttlMs, fence: Number(fence) };
    }
  }

  async renew(handle: LockHandle): Promise<void> {
    const pinned = this.find(handle);
    if (pinned === undefined) throw new LockLostError(handle.key);
    // The bound covers waiting behind another call on the same lock, too.
    const deadline = performance.now() + this.context.timeoutMs;
    await serialised(pinned, async () => {
      if (pinned.lostReason !== undefined) throw this.lostError(pinned);
      const remaining = Math.round(deadline - performance.now());
      // Out of time before a word was sent: the lock is untouched, so this is a backend failure, not a loss.
      if (remaining < 1) throw new TimeoutExceededError('waiting for another call on the same lock', this.context.timeoutMs);
      // The expiry timer may be due but not yet run: an expired lock is never extended.
      if (this.context.clock.now() >= pinned.expiresAt) {
        await this.letGo(pinned, `it was not renewed within its TTL of ${pinned.ttlMs} ms`);
        throw this.lostError(pinned);
      }
      // Proves the session is alive and still holds this very lock (bigint locks show as objsubid 1).
      const { high, low } = splitLockKey(pinned.lockKey);
      let held: boolean;
      try {
        const result = await queryWithin<{ held: boolean }>(pinned.client, { ...this.statements.held, values: [high, low] }, remaining);
        held = result.rows[0]?.held === true;
      } catch (error) {
        this.drop(pinned, `renew could not confirm it with the server (${error instanceof Error ? error.message : String(error)})`);
        throw this.lostError(pinned);
      }
      if (pinned.lostReason !== undefined) throw this.lostError(pinned);
      if (!held) {
        this.drop(pinned, 'the server no longer has the session lock');
        throw this.lostError(pinned);
      }
      this.armTimer(pinned);
    });
  }

  async release(handle: LockHandle): Promise<void> {
    const pinned = this.find(handle);
    if (pinned === undefined) return;
    // When the wait behind another call on this lock used up the bound, the connection is dropped at once, which frees the lock too.
    const deadline = performance.now() + this.context.timeoutMs;
    await serialised(pinned, () => this.letGo(pinned, 'it was released', deadline - performance.now()));
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.byLockId.values()];
    await Promise.all(all.map((pinned) => serialised(pinned, () => this.letGo(pinned, 'the locking instance was closed'))));
  }

  private find(handle: LockHandle): PinnedLock | undefined {
    const pinned = this.byLockId.get(handle.lockId);
    return pinned !== undefined && pinned.key === handle.key ? pinned : undefined;
  }

  private armTimer(pinned: PinnedLock): void {
    pinned.cancelTimer();
    pinned.expiresAt = this.context.clock.now() + pinned.ttlMs;
    const generation = ++pinned.timerGeneration;
    pinned.cancelTimer = this.context.clock.setTimer(() => {
      const reason = `it was not renewed within its TTL of ${pinned.ttlMs} ms`;
      // The expiry waits behind any renew under way; if that renew succeeded it armed a new timer, and this one is void.
      void serialised(pinned, async () => {
        if (generation === pinned.timerGeneration) await this.letGo(pinned, reason);
      });
    }, pinned.ttlMs);
  }

  /** Forgets the lock locally; from here on renew rejects and release is a no-op. */
  private forget(pinned: PinnedLock, reason: string): boolean {
    if (pinned.lostReason !== undefined) return false;
    pinned.lostReason = reason;
    pinned.cancelTimer();
    this.byLockId.delete(pinned.lockId);
    this.heldKeys.delete(pinned.key);
    pinned.detach();
    return true;
  }

  /**
   * Frees the lock: unlock and return the connection to the pool, or — if
   * the unlock fails or times out — destroy the connection, which frees
   * the lock too. Never throws.
   */
  private async letGo(pinned: PinnedLock, reason: string, timeoutMs = this.context.timeoutMs): Promise<void> {
    if (!this.forget(pinned, reason)) return;
    const { client } = pinned;
    if (timeoutMs < 1) {
      this.destroy(client, new Error(`${reason}, with no time left to unlock`));
      return;
    }
    let broken: unknown;
    const onError = (error: unknown): void => {
      broken = error;
    };
    client.on('error', onError);
    let outcome: Error | undefined;
    try {
      const result = await queryWithin<{ unlocked: boolean }>(
        client,
        { ...this.statements.unlock, values: [pinned.lockKey] },
        Math.round(timeoutMs),
      );
      if (result.rows[0]?.unlocked !== true) outcome = new Error('advisory unlock found no lock');
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
    }
    client.removeListener('error', onError);
    // Only a connection known to hold no lock goes back to the pool.
    client.release(outcome ?? (broken === undefined ? undefined : new Error(String(broken))));
  }

  /** The connection failed: the server frees the lock with the session; destroy the connection. */
  private drop(pinned: PinnedLock, reason: string): void {
    if (!this.forget(pinned, reason)) return;
    this.destroy(pinned.client, new Error(reason));
  }

  /** Ends a connection for good; the server frees every lock of its session. */
  private destroy(client: PoolClient, reason: Error): void {
    // A dead connection may still report its death; nothing is left to do about it.
    client.on('error', () => {});
    client.release(reason);
  }

  private lostError(pinned: PinnedLock): LockLostError {
    return new LockLostError(
      pinned.key,
      `Lock on ${JSON.stringify(pinned.key)} is no longer held by this handle: ${pinned.lostReason ?? 'it was released'}`,
    );
  }

  /** The advisory lock id of `key`, from a small cache of recent keys. */
  private lockKeyOf(key: string): string {
    let lockKey = this.lockKeys.get(key);
    if (lockKey === undefined) {
      if (this.lockKeys.size >= LOCK_KEY_CACHE_SIZE) this.lockKeys.clear();
      lockKey = advisoryKey(this.context.keyPrefix + key);
      this.lockKeys.set(key, lockKey);
    }
    return lockKey;
  }
}

function poolerError(announcedPid: number | null): LockBackendError {
  return new LockBackendError(
    `Advisory mode needs a direct PostgreSQL session, but this connection goes through a pooler (connection pid ${String(announcedPid)} differs from the server's): session advisory locks are not exclusive behind transaction pooling. Use mode 'lease' through PgBouncer, or connect directly.`,
  );
}

function closedError(): LockBackendError {
  return new LockBackendError('PgLocking was closed by cleanup(). Fix: create a new PgLocking to take, renew or release locks');
}
