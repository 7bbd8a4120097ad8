import type { Clock, LockHandle, LockingPlugin, Logger, ScheduledPlugin, ScheduledRunCtx, StatefulPlugin } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import type { ClusterStateStore } from './cluster-state-store.js';

/** What a handoff needs from the host. */
export interface HandoffOptions {
  state: ClusterStateStore;
  locking: LockingPlugin;
  clock: Clock;
  logger: Logger;
  /** Lifetime of the state lock, renewed every third of it while the run lasts; also the longest a run waits for it. */
  lockTtlMs: number;
}

/** How often a run waiting for its plugin's state lock asks again. */
const RETRY_MS = 50;

/** The state lock of a plugin: one per plugin, so every schedule's runs of it take fences from one counter. */
export function stateLockKey(plugin: string): string {
  return `belfry:state:${encodeURIComponent(plugin)}`;
}

/** The fence scope of a plugin's state: the scheduler's scopes are per schedule, and fences of two scopes do not compare. */
export function stateFenceKey(plugin: string): string {
  return `belfry:fence:state:${encodeURIComponent(plugin)}`;
}

/**
 * Wraps the run of a plugin that is both scheduled and stateful so its
 * state follows the run around the cluster. A run under the global lock
 * (it has a fence):
 *
 * 1. takes the plugin's state lock (fence scope per plugin, so the fences
 *    of all its schedules form one order), waiting while another node's run
 *    of the plugin holds it;
 * 2. restores the cluster's snapshot if it is newer (a higher fence) than
 *    the state this node holds;
 * 3. runs the plugin;
 * 4. saves the plugin's snapshot with the state lock's fence — refused as
 *    stale if a newer holder saved meanwhile — and releases the lock.
 *
 * A run that cannot restore the cluster's state (the plugin refuses it)
 * does not run, so it never overwrites state it could not read. A
 * `node_local` run (no fence) works on the node's own copy.
 */
export function withClusterStateHandoff(scheduled: ScheduledPlugin, stateful: StatefulPlugin, options: HandoffOptions): ScheduledPlugin {
  return {
    ...scheduled,
    run: async (ctx: ScheduledRunCtx) => {
      if (ctx.fence === undefined) return scheduled.run(ctx);
      const lease = await StateLease.take(stateful.id, ctx.signal, options);
      try {
        await restoreNewer(stateful, options.state);
        try {
          await scheduled.run(ctx);
        } finally {
          // Saved even after a failed run: the state is whatever the run left, and the next run starts from it.
          await saveAfterRun(stateful, lease.fence, options);
        }
      } finally {
        await lease.release();
      }
    },
  };
}

async function restoreNewer(stateful: StatefulPlugin, state: ClusterStateStore): Promise<void> {
  const stored = await state.loadShared(stateful.id);
  if (stored === null || stored.fence <= state.fenceOf(stateful.id)) return;
  try {
    await stateful.restoreSnapshot?.(stored.snapshot);
  } catch (error) {
    throw new Error(`plugin "${stateful.id}" could not restore the cluster's state (fence ${stored.fence}), so this run did not start: ${errorText(error)}`, { cause: error });
  }
  state.heldAt(stateful.id, stored.fence);
}

async function saveAfterRun(stateful: StatefulPlugin, fence: number, { state, logger }: HandoffOptions): Promise<void> {
  const result = await state.saveShared(await stateful.snapshot(), fence);
  if (result === 'saved') {
    state.heldAt(stateful.id, fence);
    return;
  }
  logger.warn(`belfry host: state of plugin "${stateful.id}" after the run with state fence ${fence} was refused: a later run saved first (this run outlived its state lock)`);
}

/** A plugin's state lock while its run lasts: taken with retries, renewed, released. */
class StateLease {
  #cancelRenewal: (() => void) | undefined;

  private constructor(
    private readonly handle: LockHandle & { fence: number },
    private readonly options: HandoffOptions,
  ) {}

  get fence(): number {
    return this.handle.fence;
  }

  static async take(plugin: string, signal: AbortSignal, options: HandoffOptions): Promise<StateLease> {
    const { locking, clock, lockTtlMs } = options;
    const giveUpAt = clock.now() + lockTtlMs;
    const fenceKey = stateFenceKey(plugin);
    for (;;) {
      const handle =
        locking.supports?.fenceKey === true ? await locking.tryLock(stateLockKey(plugin), lockTtlMs, { fenceKey }) : await locking.tryLock(stateLockKey(plugin), lockTtlMs);
      if (handle !== null) {
        if (handle.fence === undefined) {
          await locking.release(handle).catch(() => undefined);
          throw new Error(`the lock backend gives no fences, so the state of plugin "${plugin}" cannot be handed between nodes`);
        }
        const lease = new StateLease(handle as LockHandle & { fence: number }, options);
        lease.#keepAlive();
        return lease;
      }
      if (signal.aborted) throw new Error(`run of plugin "${plugin}" was aborted while waiting for its state lock`, { cause: signal.reason });
      if (clock.now() >= giveUpAt) throw new Error(`the state of plugin "${plugin}" stayed locked by another node's run for ${lockTtlMs} ms (lock_ttl_ms); this run did not start`);
      await new Promise<void>((resolve) => clock.setTimer(resolve, RETRY_MS));
    }
  }

  async release(): Promise<void> {
    this.#cancelRenewal?.();
    this.#cancelRenewal = undefined;
    // A release that fails leaves the lock to expire: the next run waits at most its TTL.
    await this.options.locking.release(this.handle).catch((error: unknown) => {
      this.options.logger.warn(`belfry host: releasing the state lock ${this.handle.key} failed: ${errorText(error)}`);
    });
  }

  #keepAlive(): void {
    const { locking, clock, lockTtlMs } = this.options;
    this.#cancelRenewal = clock.setTimer(() => {
      locking.renew(this.handle).then(
        () => {
          if (this.#cancelRenewal !== undefined) this.#keepAlive();
        },
        (error: unknown) => {
          // The run goes on; its save is fence-checked, so a lost lock cannot roll state back.
          this.options.logger.warn(`belfry host: renewing the state lock ${this.handle.key} failed: ${errorText(error)}`);
        },
      );
    }, Math.max(1, Math.floor(lockTtlMs / 3)));
  }
}
