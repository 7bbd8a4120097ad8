import { isBelfryError, LockLostError, type Clock, type LockHandle, type LockingPlugin, type TryLockOptions } from '@belfry/plugin-api';

export interface OccurrenceLeaseOptions {
  locking: LockingPlugin;
  clock: Clock;
  /** Where renewal timers are set (timers shared by renewals due at the same instant). Default: `clock`. */
  renewalTimers?: Pick<Clock, 'setTimer'>;
  /** Lifetime of the lock; it is renewed every third of it. */
  lockTtlMs: number;
  /** The occurrence's lock key. */
  key: string;
  /** Fence scope shared by every occurrence of the schedule; passed on only to a backend that declares `supports.fenceKey`. */
  fenceKey: string;
  /**
   * Keep the key at least until this time, so a lagging node finds the
   * occurrence taken; `-Infinity` when nothing needs marking (manual runs).
   */
  holdUntil: number;
}

/**
 * The lock of one occurrence while it runs: taken once, renewed every
 * third of its lifetime (never shorter than what is left of the hold
 * window), and released — or kept as the occurrence's marker until the
 * hold window ends, then left to expire.
 */
export class OccurrenceLease {
  private handle: LockHandle | null = null;
  private cancelRenewal: (() => void) | undefined;
  private renewing = false;
  private requestedAt: number | undefined;
  private answeredAt: number | undefined;

  constructor(private readonly options: OccurrenceLeaseOptions) {}

  get key(): string {
    return this.options.key;
  }

  /** The fencing token of the held lock, when the backend gives one. */
  get fence(): number | undefined {
    return this.handle?.fence;
  }

  /** How long the backend took to answer `request()`, in ms on the scheduler's clock; undefined before it answered. */
  get waitMs(): number | undefined {
    return this.requestedAt === undefined || this.answeredAt === undefined ? undefined : this.answeredAt - this.requestedAt;
  }

  get held(): boolean {
    return this.handle !== null;
  }

  /** Lifetime to ask for now: the TTL, or longer to reach the end of the hold window. */
  ttl(): number {
    return Math.max(this.options.lockTtlMs, Math.ceil(this.options.holdUntil - this.options.clock.now()));
  }

  /**
   * Asks the backend for the lock: the backend's own promise, unwrapped, so
   * its answer is seen as soon as it comes. Give the answer to `taken()`.
   */
  request(): Promise<LockHandle | null> {
    const { locking, key, fenceKey } = this.options;
    this.requestedAt = this.options.clock.now();
    const ttlMs = this.ttl();
    const options: TryLockOptions = { fenceKey };
    return locking.supports?.fenceKey === true ? locking.tryLock(key, ttlMs, options) : locking.tryLock(key, ttlMs);
  }

  /** Records the backend's answer to `request()`; false when another holder has the key. */
  taken(handle: LockHandle | null): boolean {
    this.answeredAt = this.options.clock.now();
    this.handle = handle;
    return handle !== null;
  }

  /**
   * Renews the lock every third of its TTL until `stopRenewal()` or until
   * `signal` aborts. A failed renewal calls `onLost` with a `LockLostError`
   * and renews no more.
   */
  keepAlive(signal: { readonly aborted: boolean }, onLost: (error: LockLostError, cause: unknown) => void): void {
    const { locking, clock, lockTtlMs } = this.options;
    const timers = this.options.renewalTimers ?? clock;
    const every = Math.max(1, Math.floor(lockTtlMs / 3));
    this.renewing = true;
    const next = (): void => {
      // A renewal that answers after the run ended or was aborted (stop, timeout) must not set another timer.
      if (!this.renewing || signal.aborted) return;
      this.cancelRenewal = timers.setTimer(() => {
        const handle = this.handle;
        if (handle === null || !this.renewing || signal.aborted) return;
        locking.renew({ ...handle, ttlMs: this.ttl() }).then(next, (error: unknown) => {
          onLost(error instanceof LockLostError || isBelfryError(error, 'lock_lost') ? (error as LockLostError) : new LockLostError(handle.key), error);
        });
      }, every);
    };
    next();
  }

  stopRenewal(): void {
    this.renewing = false;
    this.cancelRenewal?.();
    this.cancelRenewal = undefined;
  }

  /** True while the lock is held and the hold window is over: no node will try this occurrence again. */
  pastHold(): boolean {
    return this.handle !== null && this.options.clock.now() >= this.options.holdUntil;
  }

  /** Frees the lock (once); rejects with the backend's error, the lock then expires on its own. */
  async release(): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    this.handle = null;
    await this.options.locking.release(handle);
  }
}
