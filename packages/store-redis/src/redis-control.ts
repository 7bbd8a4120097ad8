import { BelfryError, InvalidArgumentError, type Control, type ControlListener, type ControlTarget, type Logger, type PauseOptions, type PausedTarget } from '@belfry/plugin-api';
import { assertControlListener, assertControlTarget, assertPauseOptions, compareControlTargets, controlTargetKey, describeValue, errorText, STORE_BACKEND, storeBackendError } from '@belfry/internal';
import { assertKnownOptions } from './assert-known-options.js';
import { PAUSE_TARGET_SCRIPT, READ_PAUSED_SCRIPT, RESUME_TARGET_SCRIPT } from './control-scripts.js';
import { ControlWatchers, type PausedSnapshot } from './control-watchers.js';
import { openRedisConnection } from './open-redis-connection.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisStoreClient, RedisStoreOptions } from './redis-store-options.js';

/** Options of {@link RedisControl}: those every Redis store takes, the watch backstop and a logger. */
export interface RedisControlOptions extends RedisStoreOptions {
  /**
   * How often, in ms, watchers re-read the paused list whatever pub/sub
   * said: the backstop for a lost notification or a subscriber that is
   * reconnecting. Default `1000`; at most `60000`.
   */
  watchIntervalMs?: number;
  /** Where a watcher that throws, or a failing re-read, is reported. Default: not reported. */
  logger?: Pick<Logger, 'warn'>;
}

const DEFAULT_WATCH_INTERVAL_MS = 1000;
const MAX_WATCH_INTERVAL_MS = 60_000;

/**
 * Cluster-wide pause and resume in Redis, under `<keyPrefix>{control}:`: a
 * hash of paused targets (`paused`) and a version counter (`version`) that
 * every change bumps in the same script, announcing it on the pub/sub
 * channel `<keyPrefix>{control}:changed`. One hash tag puts both keys in one
 * slot, so a Redis Cluster client works.
 *
 * `watch` opens one subscriber connection per store (a duplicate of its
 * client) while it has watchers, and closes it when the last one leaves.
 * A change through any instance reaches every watcher as soon as the
 * notification arrives, and within `watchIntervalMs` (+ `timeoutMs` for the
 * read) when a notification is lost.
 */
export class RedisControl implements Control {
  readonly #connection: RedisConnection;
  readonly #keys: [paused: string, version: string];
  readonly #channel: string;
  readonly #watchIntervalMs: number;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #watchers: ControlWatchers;
  #backstop: ReturnType<typeof setInterval> | undefined;
  #subscriber: RedisStoreClient | undefined;
  /** Bumped whenever watching stops, so a subscriber still being opened for an earlier round is closed at once. */
  #round = 0;
  #readFailing = false;
  #closed = false;

  constructor(options: RedisControlOptions) {
    assertKnownOptions(options, ['watchIntervalMs', 'logger'], 'RedisControl');
    const watchIntervalMs = (options as RedisControlOptions | null)?.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
    if (typeof watchIntervalMs !== 'number' || !Number.isSafeInteger(watchIntervalMs) || watchIntervalMs < 1 || watchIntervalMs > MAX_WATCH_INTERVAL_MS) {
      throw new InvalidArgumentError(`RedisControl option "watchIntervalMs" must be an integer number of milliseconds from 1 to ${MAX_WATCH_INTERVAL_MS} (got ${describeValue(watchIntervalMs)})`);
    }
    const logger = (options as RedisControlOptions | null)?.logger;
    if (logger !== undefined && typeof (logger as Logger | null)?.warn !== 'function') {
      throw new InvalidArgumentError(`RedisControl option "logger" must be a Logger with warn() (got ${describeValue(logger)})`);
    }
    const { connection, keyPrefix } = openRedisConnection(options, 'RedisControl');
    this.#connection = connection;
    this.#keys = [`${keyPrefix}{control}:paused`, `${keyPrefix}{control}:version`];
    this.#channel = `${keyPrefix}{control}:changed`;
    this.#watchIntervalMs = watchIntervalMs;
    this.#logger = logger;
    this.#watchers = new ControlWatchers(
      () => this.#read('RedisControl.watch'),
      (error) => this.#readFailed(error),
      (error) => this.#logger?.warn(`RedisControl: a watcher threw: ${errorText(error)}`),
    );
  }

  async pause(target: ControlTarget, options?: PauseOptions): Promise<void> {
    assertControlTarget(target, 'RedisControl.pause');
    assertPauseOptions(options, 'RedisControl.pause');
    const key = controlTargetKey(target);
    const entry: Omit<PausedTarget, 'pausedAt'> = { target: copyTarget(target) };
    if (options?.by !== undefined) entry.by = options.by;
    if (options?.reason !== undefined) entry.reason = options.reason;
    await this.#connection.script(`RedisControl.pause(${key})`, PAUSE_TARGET_SCRIPT, this.#keys, [this.#channel, key, JSON.stringify(entry)]);
  }

  async resume(target: ControlTarget): Promise<void> {
    assertControlTarget(target, 'RedisControl.resume');
    const key = controlTargetKey(target);
    await this.#connection.script(`RedisControl.resume(${key})`, RESUME_TARGET_SCRIPT, this.#keys, [this.#channel, key]);
  }

  async paused(): Promise<PausedTarget[]> {
    return (await this.#read('RedisControl.paused')).paused;
  }

  watch(listener: ControlListener): () => void {
    assertControlListener(listener, 'RedisControl.watch');
    if (this.#closed) throw new BelfryError(STORE_BACKEND, 'RedisControl.watch: the store was closed');
    if (this.#watchers.size === 0) this.#startWatching();
    const remove = this.#watchers.add(listener);
    this.#watchers.refresh();
    return () => {
      if (remove() && this.#watchers.size === 0) this.#stopWatching();
    };
  }

  /** Stops every watcher, closes the subscriber and the connection made from `url`; a given `client` stays open. Later calls reject (`watch` throws) with `store_backend`. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#watchers.clear();
    this.#stopWatching();
    await this.#connection.close();
  }

  async #read(where: string): Promise<PausedSnapshot> {
    const reply = await this.#connection.script(where, READ_PAUSED_SCRIPT, this.#keys, []);
    return parseSnapshot(reply, where);
  }

  #readFailed(error: unknown): void {
    // Once per failing stretch: the backstop retries every interval.
    if (this.#readFailing) return;
    this.#readFailing = true;
    this.#logger?.warn(`RedisControl: re-reading the paused list for watchers failed; retrying every ${this.#watchIntervalMs} ms: ${errorText(error)}`);
  }

  #startWatching(): void {
    this.#backstop = setInterval(() => {
      if (this.#subscriber === undefined) void this.#subscribe();
      this.#watchers.refresh();
    }, this.#watchIntervalMs);
    this.#backstop.unref?.();
    void this.#subscribe();
  }

  #stopWatching(): void {
    this.#round += 1;
    clearInterval(this.#backstop);
    this.#backstop = undefined;
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    subscriber?.disconnect();
  }

  /** Opens the subscriber: a duplicate of the store's client, subscribed to the change channel. On failure the backstop tries again. */
  async #subscribe(): Promise<void> {
    const round = this.#round;
    let subscriber: RedisStoreClient;
    try {
      // Duplicated once the store's own connection is up, so a server that is down fails here within timeoutMs.
      subscriber = await this.#connection.call('RedisControl.watch', async (client) => {
        if (this.#subscriber !== undefined || round !== this.#round) throw new Error('no longer needed');
        return client.duplicate();
      });
    } catch {
      return;
    }
    if (round !== this.#round || this.#subscriber !== undefined) {
      subscriber.disconnect();
      return;
    }
    this.#subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', () => this.#watchers.refresh());
    // After every (re)connection: subscribe, then re-read, since changes made while it was away were not announced to it.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.#channel).then(
        () => this.#watchers.refresh(),
        () => undefined,
      );
    });
    if (subscriber.status === 'wait') subscriber.connect().catch(() => undefined);
  }
}

function copyTarget(target: ControlTarget): ControlTarget {
  return target.kind === 'schedule' ? { kind: 'schedule', plugin: target.plugin, scheduleId: target.scheduleId } : { kind: 'poller_job', jobId: target.jobId };
}

/** `[version, [field, value, …]]` as the read script returns it, each value `<pausedAt> <JSON>`. */
function parseSnapshot(reply: unknown, where: string): PausedSnapshot {
  const corrupt = (): never => {
    throw storeBackendError(where, 'the paused list is not as this store writes it; the keys under {control} were changed by something else than this store');
  };
  if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) return corrupt();
  const version = Number(reply[0]);
  if (!Number.isSafeInteger(version)) return corrupt();
  const fields = reply[1] as unknown[];
  const paused: PausedTarget[] = [];
  for (let index = 1; index < fields.length; index += 2) {
    const value = fields[index];
    if (typeof value !== 'string') return corrupt();
    const space = value.indexOf(' ');
    const pausedAt = Number(value.slice(0, space));
    if (space < 1 || !Number.isSafeInteger(pausedAt)) return corrupt();
    try {
      paused.push({ ...(JSON.parse(value.slice(space + 1)) as Omit<PausedTarget, 'pausedAt'>), pausedAt });
    } catch {
      return corrupt();
    }
  }
  return { version, paused: paused.sort((a, b) => compareControlTargets(a.target, b.target)) };
}
