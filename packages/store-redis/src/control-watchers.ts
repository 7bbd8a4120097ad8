import type { ControlListener, PausedTarget } from '@belfry/plugin-api';

/** The paused list as one atomic read saw it, with the version it had then. */
export interface PausedSnapshot {
  version: number;
  paused: PausedTarget[];
}

interface Watcher {
  listener: ControlListener;
  /** The version this watcher was last told; `undefined` until its first call. */
  seen: number | undefined;
}

/**
 * The watchers of one control store and the reads that feed them. Reads
 * run one at a time: a refresh asked for while one is under way runs once
 * it ends. Since each read starts after the previous one ended, a later
 * read never sees an older list, so no watcher is told an older list after
 * a newer one; a watcher is told only a version it has not seen yet.
 */
export class ControlWatchers {
  readonly #watchers = new Set<Watcher>();
  readonly #read: () => Promise<PausedSnapshot>;
  readonly #onReadError: (error: unknown) => void;
  readonly #onListenerError: (error: unknown) => void;
  #reading = false;
  #again = false;

  constructor(read: () => Promise<PausedSnapshot>, onReadError: (error: unknown) => void, onListenerError: (error: unknown) => void) {
    this.#read = read;
    this.#onReadError = onReadError;
    this.#onListenerError = onListenerError;
  }

  get size(): number {
    return this.#watchers.size;
  }

  /** Adds a watcher; it is told the list at the next refresh. Returns the function that removes it (true when it was there). */
  add(listener: ControlListener): () => boolean {
    const watcher: Watcher = { listener, seen: undefined };
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Removes every watcher. */
  clear(): void {
    this.#watchers.clear();
  }

  /** Reads the list and tells every watcher that has not seen its version. Never rejects. */
  refresh(): void {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    void this.#readAndTell().finally(() => {
      this.#reading = false;
      const again = this.#again && this.#watchers.size > 0;
      this.#again = false;
      if (again) this.refresh();
    });
  }

  async #readAndTell(): Promise<void> {
    let snapshot: PausedSnapshot;
    try {
      snapshot = await this.#read();
    } catch (error) {
      this.#onReadError(error);
      return;
    }
    for (const watcher of [...this.#watchers]) {
      // Unsubscribed by an earlier listener of this round: never call it again.
      if (!this.#watchers.has(watcher) || watcher.seen === snapshot.version) continue;
      watcher.seen = snapshot.version;
      try {
        watcher.listener(structuredClone(snapshot.paused));
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
