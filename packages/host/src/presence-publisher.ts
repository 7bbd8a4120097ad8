import { InvalidArgumentError, type Clock, type Logger, type NodeInfo, type NodeStatus, type Presence } from '@belfry/plugin-api';
import { errorText, settleWithin } from '@belfry/internal';

/** Options of {@link PresencePublisher}. */
export interface PresencePublisherOptions {
  presence: Presence;
  clock: Clock;
  logger: Logger;
  /** What this node says about itself; `status` is the publisher's. */
  node: Omit<NodeInfo, 'status'>;
  /** How long an entry lives without a refresh, in ms. Default 15000: three refreshes may be lost before the node drops out. */
  ttlMs?: number;
  /** How often the entry is refreshed, in ms on `clock`. Default 5000. */
  intervalMs?: number;
  /** Longest one call to the store may take, in ms on `clock`. Default 5000. */
  callTimeoutMs?: number;
}

/**
 * Keeps this node in the cluster's list of live nodes: publishes its
 * `NodeInfo` with a TTL and refreshes it on the clock, so a node that dies
 * without a word drops out when the TTL runs out; a clean stop withdraws it
 * at once. A failing store costs a warning (one per failure streak), never
 * the host.
 */
export class PresencePublisher {
  readonly #presence: Presence;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #node: Omit<NodeInfo, 'status'>;
  readonly #ttlMs: number;
  readonly #intervalMs: number;
  readonly #callTimeoutMs: number;
  #status: NodeStatus = 'starting';
  #cancelTimer: (() => void) | null = null;
  #publishing: Promise<void> | null = null;
  #failing = false;
  #stopped = false;

  constructor(options: PresencePublisherOptions) {
    this.#presence = options.presence;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#node = { nodeId: options.node.nodeId, version: options.node.version, startedAt: options.node.startedAt, backend: options.node.backend };
    this.#ttlMs = options.ttlMs ?? 15_000;
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#callTimeoutMs = options.callTimeoutMs ?? 5_000;
    if (!(this.#intervalMs < this.#ttlMs)) {
      throw new InvalidArgumentError(`PresencePublisher: intervalMs (${this.#intervalMs}) must be below ttlMs (${this.#ttlMs}), or the node would flicker out between refreshes`);
    }
  }

  /** Publishes `status` now and keeps refreshing it. Resolves once this publish settled (or timed out); never rejects. */
  async publish(status: NodeStatus): Promise<void> {
    if (this.#stopped) return;
    this.#status = status;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    // A refresh still in flight carries the old status: wait for it, then say the new one.
    await this.#publishing;
    await this.#publishNow();
  }

  /** Stops refreshing and withdraws the node. Never rejects. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    await this.#publishing;
    await this.#call('withdraw', () => this.#presence.withdraw(this.#node.nodeId));
  }

  #publishNow(): Promise<void> {
    const node: NodeInfo = { ...this.#node, status: this.#status };
    this.#publishing = this.#call('publish', () => this.#presence.publish(node, this.#ttlMs)).finally(() => {
      this.#publishing = null;
      this.#arm();
    });
    return this.#publishing;
  }

  #arm(): void {
    if (this.#stopped || this.#cancelTimer !== null) return;
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = null;
      if (this.#publishing === null) void this.#publishNow();
    }, this.#intervalMs);
  }

  async #call(what: 'publish' | 'withdraw', call: () => Promise<void>): Promise<void> {
    try {
      await settleWithin(call, { ms: this.#callTimeoutMs, clock: this.#clock, timeoutError: () => new Error(`no answer within ${this.#callTimeoutMs} ms`) });
      if (this.#failing) this.#logger.info(`belfry host: the presence store works again; node ${this.#node.nodeId} is listed`);
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.#logger.warn(`belfry host: could not ${what} node ${this.#node.nodeId} in the presence store: ${errorText(error)}; other nodes may not list it`);
      this.#failing = true;
    }
  }
}
