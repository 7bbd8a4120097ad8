import { BelfryError, type Clock, type LockHandle, type LockingPlugin } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';

/**
 * The cluster-wide lock of one poller job while a tick of it runs. The
 * scheduler's lock covers one occurrence; a tick longer than the job's
 * interval would otherwise overlap the next occurrence's tick on another
 * node, both starting from the same cursor and both handling its items.
 * Renewed every third of its TTL; a lost renewal aborts `lost`.
 */
export class JobLease {
  readonly lost = new AbortController();
  readonly #locking: LockingPlugin;
  readonly #handle: LockHandle;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #cancelTimer: (() => void) | null = null;
  #released = false;

  private constructor(locking: LockingPlugin, handle: LockHandle, clock: Clock, ttlMs: number) {
    this.#locking = locking;
    this.#handle = handle;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#schedule();
  }

  /** Takes the job's lock, or resolves null while a tick of the job runs elsewhere. */
  static async take(locking: LockingPlugin, jobId: string, clock: Clock, ttlMs: number): Promise<JobLease | null> {
    const handle = await locking.tryLock(`poller-job:${jobId}`, ttlMs);
    return handle === null ? null : new JobLease(locking, handle, clock, ttlMs);
  }

  async release(): Promise<void> {
    this.#released = true;
    this.#cancelTimer?.();
    await this.#locking.release(this.#handle).catch(() => {});
  }

  #schedule(): void {
    this.#cancelTimer = this.#clock.setTimer(() => {
      void this.#locking.renew(this.#handle).then(
        () => {
          if (!this.#released) this.#schedule();
        },
        (error: unknown) => {
          if (!this.#released) this.lost.abort(new BelfryError('poller_lock_lost', `the job's lock could not be renewed: ${errorText(error)}`));
        },
      );
    }, Math.max(1, Math.floor(this.#ttlMs / 3)));
  }
}
