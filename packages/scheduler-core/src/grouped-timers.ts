import type { Clock } from '@belfry/plugin-api';

interface Group {
  callbacks: Set<() => void>;
  cancel: () => void;
}

/**
 * Timers on `clock`, with one clock timer per due instant however many
 * callbacks are due then. A burst's runs take their locks together and all
 * renew them a third of the lock's lifetime later: they share a timer
 * instead of setting (and clearing) one each. Callbacks due together are
 * called in the order they were set.
 */
export class GroupedTimers {
  private readonly groups = new Map<number, Group>();

  constructor(private readonly clock: Clock) {}

  /** Like `Clock.setTimer`: calls `callback` once after `delayMs`; returns the function that cancels it. */
  setTimer(callback: () => void, delayMs: number): () => void {
    const dueAt = this.clock.now() + Math.max(0, delayMs);
    let group = this.groups.get(dueAt);
    if (group === undefined) {
      const callbacks = new Set<() => void>();
      group = { callbacks, cancel: this.clock.setTimer(() => this.fire(dueAt, callbacks), Math.max(0, delayMs)) };
      this.groups.set(dueAt, group);
    }
    // A callback set twice for one instant must run twice, so each entry is a wrapper of its own.
    const entry = (): void => callback();
    const { callbacks } = group;
    callbacks.add(entry);
    return () => {
      if (!callbacks.delete(entry) || callbacks.size > 0) return;
      // The last one of its group: its clock timer has nothing left to do.
      const current = this.groups.get(dueAt);
      if (current?.callbacks !== callbacks) return;
      this.groups.delete(dueAt);
      current.cancel();
    };
  }

  /** Clock timers set now, one per instant with callbacks due. */
  get pendingGroups(): number {
    return this.groups.size;
  }

  private fire(dueAt: number, callbacks: Set<() => void>): void {
    if (this.groups.get(dueAt)?.callbacks === callbacks) this.groups.delete(dueAt);
    for (const callback of [...callbacks]) {
      callbacks.delete(callback);
      callback();
    }
  }
}
