import type { DashboardClock } from './dashboard-options.js';

/** One connected live client: the version it last received, and how to wake it. */
interface LiveClient {
  sent: number;
  sentKeepAlive: number;
  wake: (() => void) | null;
}

/** Options of {@link LiveBroadcaster}. */
export interface LiveBroadcasterOptions {
  /** Builds the update's JSON; called at most once per interval, whatever the number of clients. */
  build(): Promise<string>;
  clock: DashboardClock;
  intervalMs: number;
  /** Rebuild every interval even when nothing local changed (cluster stores change without telling us). */
  poll: boolean;
  /** A quiet stream gets a comment line this often, so proxies and browsers do not drop it as idle. */
  keepAliveMs: number;
  onError(error: unknown): void;
}

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');

/**
 * One shared source of live updates for every SSE client. Changes only mark
 * the state dirty; at most once per interval the update is built once,
 * encoded once, and the same bytes are handed to every client. Each client
 * is a pull stream with a queue of one: it is sent the newest update when it
 * can take one, and an update it had no room for is replaced, never queued —
 * so a thousand slow clients cost a thousand small records, not a thousand
 * growing buffers.
 */
export class LiveBroadcaster {
  readonly #options: LiveBroadcasterOptions;
  readonly #clients = new Set<LiveClient>();
  #version = 0;
  #keepAlive = 0;
  #quietMs = 0;
  #payload: Uint8Array = new Uint8Array();
  #json = '';
  #dirty = true;
  #cancelTimer: (() => void) | null = null;
  #building: Promise<void> | null = null;
  #closed = false;

  constructor(options: LiveBroadcasterOptions) {
    this.#options = options;
  }

  /** Connected clients. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Something changed; the next interval rebuilds the update. */
  markDirty(): void {
    this.#dirty = true;
  }

  /** Builds the update now and wakes the clients if it differs from the last one. Concurrent calls share one build. */
  refresh(): Promise<void> {
    this.#building ??= this.#build().finally(() => {
      this.#building = null;
    });
    return this.#building;
  }

  /** A new client's event stream; it ends when the client goes away or the broadcaster closes. */
  stream(): ReadableStream<Uint8Array> {
    const client: LiveClient = { sent: 0, sentKeepAlive: 0, wake: null };
    return new ReadableStream<Uint8Array>(
      {
        start: () => {
          this.#clients.add(client);
          this.#arm();
          if (this.#version === 0) void this.refresh();
        },
        pull: async (controller) => {
          while (!this.#closed && client.sent === this.#version && (client.sent === 0 || client.sentKeepAlive === this.#keepAlive)) {
            await new Promise<void>((resolve) => (client.wake = resolve));
          }
          client.wake = null;
          if (this.#closed) {
            this.#clients.delete(client);
            controller.close();
            return;
          }
          client.sentKeepAlive = this.#keepAlive;
          if (client.sent === this.#version) {
            controller.enqueue(KEEP_ALIVE);
            return;
          }
          client.sent = this.#version;
          controller.enqueue(this.#payload);
        },
        cancel: () => {
          this.#clients.delete(client);
          client.wake?.();
        },
      },
      // Pull only when the consumer asks: nothing queues up behind a slow socket.
      { highWaterMark: 0 },
    );
  }

  /** Ends every stream and stops the timer. */
  close(): void {
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    for (const client of this.#clients) client.wake?.();
  }

  async #build(): Promise<void> {
    this.#dirty = false;
    let json: string;
    try {
      json = await this.#options.build();
    } catch (error) {
      this.#dirty = true;
      this.#options.onError(error);
      return;
    }
    if (json === this.#json) return;
    this.#json = json;
    this.#payload = encoder.encode(`event: status\ndata: ${json}\n\n`);
    this.#version += 1;
    this.#quietMs = 0;
    for (const client of this.#clients) client.wake?.();
  }

  /** Runs the interval while anyone listens. */
  #arm(): void {
    if (this.#cancelTimer !== null || this.#closed) return;
    this.#cancelTimer = this.#options.clock.setTimer(() => {
      this.#cancelTimer = null;
      if (this.#clients.size === 0) return;
      if (this.#dirty || this.#options.poll) void this.refresh();
      this.#quietMs += this.#options.intervalMs;
      if (this.#quietMs >= this.#options.keepAliveMs) {
        this.#quietMs = 0;
        this.#keepAlive += 1;
        for (const client of this.#clients) client.wake?.();
      }
      this.#arm();
    }, this.#options.intervalMs);
  }
}
