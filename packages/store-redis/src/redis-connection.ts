import { BelfryError } from '@belfry/plugin-api';
import { redactSecrets, settleWithin, STORE_BACKEND, storeBackendError } from '@belfry/internal';
import type { LuaScript } from './lua-scripts.js';
import type { RedisStoreClient } from './redis-store-options.js';

/** The slice of the ioredis API used to run scripts, common to `Redis` and `Cluster`. */
interface ScriptClient {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<unknown>;
  eval(source: string, numKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<unknown>;
}

/** Connection states in which an attempt to connect is under way. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * The client behind a store, wrapped so that no call hangs or lingers: a
 * command is sent only while the client is ready (a server known to be
 * down fails at once instead of filling an offline queue), never after its
 * caller stopped waiting, and every call settles within `timeoutMs`.
 */
export class RedisConnection {
  readonly #client: RedisStoreClient;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  #closed = false;
  #lastError: string | undefined;
  #attempt: Promise<void> | undefined;
  readonly #onError = (error: unknown): void => {
    this.#lastError = redactSecrets(error instanceof Error ? error.message : String(error));
  };

  constructor(client: RedisStoreClient, owned: boolean, timeoutMs: number) {
    this.#client = client;
    this.#owned = owned;
    this.#timeoutMs = timeoutMs;
    client.on('error', this.#onError);
  }

  /** Runs `send` on the client; rejects with `store_backend` naming `where` on any failure or after `timeoutMs`. */
  async call<T>(where: string, send: (client: RedisStoreClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new BelfryError(STORE_BACKEND, `${where}: the store was closed`);
    let expired = false;
    try {
      return await settleWithin(
        async () => {
          if (this.#client.status !== 'ready') await this.#whenReady();
          // The caller gave up while the connection was being set up: a command sent now would run unseen.
          if (expired) throw new Error('expired');
          return await send(this.#client);
        },
        {
          ms: this.#timeoutMs,
          timeoutError: () => {
            expired = true;
            return new Error(`Redis did not answer within ${this.#timeoutMs} ms (option timeoutMs)${this.#lastError === undefined ? '' : `; last connection error: ${this.#lastError}`}`);
          },
        },
      );
    } catch (error) {
      throw storeBackendError(where, lostConnection(error) ? new Error('the connection to Redis was lost before it answered; the command may or may not have run') : error);
    }
  }

  /** Runs `script` by its SHA, sending the body once when the server does not know it yet. */
  script(where: string, script: LuaScript, keys: string[], args: (string | Buffer)[]): Promise<unknown> {
    return this.call(where, async (client) => {
      const scripts = client as unknown as ScriptClient;
      try {
        return await scripts.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return scripts.eval(script.source, keys.length, ...keys, ...args);
      }
    });
  }

  /** Closes a client made from `url` (politely, then by force); leaves a given client open. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.off('error', this.#onError);
    if (!this.#owned) return;
    // Keep swallowing errors of a client that is going away.
    this.#client.on('error', () => undefined);
    if (this.#client.status === 'ready') {
      await settleWithin(this.#client.quit(), { ms: this.#timeoutMs, timeoutError: () => new Error('quit timed out') }).catch(() => undefined);
    }
    this.#client.disconnect();
  }

  #whenReady(): Promise<void> {
    const client = this.#client;
    if (client.status === 'wait') {
      client.connect().catch(() => undefined);
    } else if (!CONNECTING.has(client.status)) {
      return Promise.reject(new Error(this.#notConnected()));
    }
    return this.#connectionAttempt();
  }

  /** Settles when the attempt under way succeeds or fails; shared by every waiting call. */
  #connectionAttempt(): Promise<void> {
    if (this.#attempt !== undefined) return this.#attempt;
    const client = this.#client;
    const attempt = new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        client.off('ready', onReady);
        client.off('close', onClose);
        client.off('end', onClose);
        this.#attempt = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (): void => finish();
      const onClose = (): void => finish(new Error(this.#notConnected()));
      client.once('ready', onReady);
      client.once('close', onClose);
      client.once('end', onClose);
    });
    attempt.catch(() => undefined);
    this.#attempt = attempt;
    return attempt;
  }

  #notConnected(): string {
    const status = this.#client.status;
    const state = status === 'end' ? 'the connection was closed' : `not connected (${status})`;
    return this.#lastError === undefined ? state : `${state}: ${this.#lastError}`;
  }
}

/** ioredis rejects the commands in flight with this when a client made from `url` loses its connection. */
function lostConnection(error: unknown): boolean {
  return error instanceof Error && error.name === 'MaxRetriesPerRequestError';
}
