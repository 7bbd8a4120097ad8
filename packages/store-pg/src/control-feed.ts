import type { PoolClient } from 'pg';
import type { ControlListener, Logger, PausedTarget } from '@belfry/plugin-api';
import { errorText, settleWithin } from '@belfry/internal';
import type { PgConnection } from './pg-connection.js';

/** The paused list as one read saw it, with the change count it was read at. */
export interface ControlState {
  version: number;
  paused: PausedTarget[];
}

/** What the feed needs from its store. */
export interface ControlFeedOptions {
  connection: PgConnection;
  /** Reads the count and the list in one statement. */
  read(): Promise<ControlState>;
  /** The `LISTEN` statement to run on a connection of its own, or `null` to rely on re-reads alone. */
  listen: string | null;
  pollIntervalMs: number;
  logger: Logger | undefined;
  /** Names the store in log messages. */
  name: string;
}

interface Watcher {
  listener: ControlListener;
  /** The change count of the last list this watcher was told; -1 before its first call. */
  seen: number;
  active: boolean;
}

/**
 * Tells watchers the paused list. Every prompt — a watcher joining, a
 * NOTIFY, a periodic tick — leads to a re-read; reads run one at a time, and
 * a watcher is told a list only when its change count is above the last one
 * it was told, so it never sees an older list after a newer one. The
 * listening connection and the timer exist only while someone watches.
 */
export class ControlFeed {
  readonly #options: ControlFeedOptions;
  readonly #watchers = new Set<Watcher>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #session: PoolClient | undefined;
  #connecting = false;
  #reading = false;
  #again = false;
  #latest = -1;
  /** Whether the last read failed, or the last LISTEN attempt: each failure is reported once, not on every retry. */
  #failing = false;
  #listenFailing = false;

  constructor(options: ControlFeedOptions) {
    this.#options = options;
  }

  /** Adds a watcher, told the current list soon; returns the function that removes it. */
  add(listener: ControlListener): () => void {
    const watcher: Watcher = { listener, seen: -1, active: true };
    this.#watchers.add(watcher);
    if (this.#timer === undefined) this.#start();
    this.#refresh();
    return () => {
      watcher.active = false;
      this.#watchers.delete(watcher);
      if (this.#watchers.size === 0) this.#stop();
    };
  }

  /** Removes every watcher and releases the listening connection. */
  clear(): void {
    for (const watcher of this.#watchers) watcher.active = false;
    this.#watchers.clear();
    this.#stop();
  }

  /** Whether a connection is held for LISTEN (for tests and diagnostics). */
  get listening(): boolean {
    return this.#session !== undefined;
  }

  #start(): void {
    this.#timer = setInterval(() => {
      this.#refresh();
      void this.#listen();
    }, this.#options.pollIntervalMs);
    // The backstop alone never keeps a process alive.
    this.#timer.unref?.();
    void this.#listen();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#dropSession();
  }

  /** Re-reads the list and tells every watcher that has not seen it; a read asked for during a read runs after it. */
  #refresh(): void {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    void this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    this.#reading = true;
    try {
      do {
        this.#again = false;
        let state: ControlState;
        try {
          state = await this.#options.read();
        } catch (error) {
          if (!this.#failing) this.#options.logger?.warn(`${this.#options.name}: cannot read the paused list (retrying every ${this.#options.pollIntervalMs} ms): ${errorText(error)}`);
          this.#failing = true;
          return;
        }
        this.#failing = false;
        // A read that started before a newer one was told is never passed on.
        if (state.version < this.#latest) continue;
        this.#latest = state.version;
        this.#tell(state);
      } while (this.#again && this.#watchers.size > 0);
    } finally {
      this.#reading = false;
    }
  }

  #tell(state: ControlState): void {
    for (const watcher of [...this.#watchers]) {
      if (!watcher.active || watcher.seen >= state.version) continue;
      watcher.seen = state.version;
      try {
        // Each watcher gets its own copy: one that edits its list cannot change another's.
        watcher.listener(structuredClone(state.paused));
      } catch (error) {
        this.#options.logger?.warn(`${this.#options.name}: a watcher threw: ${errorText(error)}`);
      }
    }
  }

  /** Holds a connection that LISTENs, when configured and not already held; a lost one is replaced on a later tick. */
  async #listen(): Promise<void> {
    const { listen, connection, name } = this.#options;
    if (listen === null || this.#session !== undefined || this.#connecting || this.#timer === undefined) return;
    this.#connecting = true;
    let client: PoolClient | undefined;
    try {
      client = await connection.session(`${name}.watch()`);
      const held = client;
      held.on('notification', () => this.#refresh());
      held.on('error', () => this.#lose(held));
      held.on('end', () => this.#lose(held));
      await settleWithin(held.query(listen), { ms: connection.timeoutMs, timeoutError: () => new Error(`PostgreSQL did not answer LISTEN within ${connection.timeoutMs} ms (option timeoutMs)`) });
    } catch (error) {
      if (client !== undefined) release(client);
      if (!this.#listenFailing) this.#options.logger?.warn(`${name}: cannot LISTEN for changes, re-reading every ${this.#options.pollIntervalMs} ms meanwhile: ${errorText(error)}`);
      this.#listenFailing = true;
      return;
    } finally {
      this.#connecting = false;
    }
    if (this.#timer === undefined) {
      release(client);
      return;
    }
    this.#session = client;
    this.#listenFailing = false;
    // Changes made before LISTEN took effect sent no notification to this connection.
    this.#refresh();
  }

  #lose(client: PoolClient): void {
    if (this.#session === client) this.#session = undefined;
    release(client);
  }

  #dropSession(): void {
    const session = this.#session;
    this.#session = undefined;
    if (session !== undefined) release(session);
  }
}

const released = new WeakSet<PoolClient>();

/** Ends a held connection (never back to the pool, which would hand its LISTEN to another caller); safe to call twice. */
function release(client: PoolClient): void {
  if (released.has(client)) return;
  released.add(client);
  client.on('error', () => undefined);
  client.release(true);
}
