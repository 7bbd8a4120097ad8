import type { Cluster, Redis } from 'ioredis';
import { errorText, redactSecrets, settleWithin } from '@belfry/internal';
import type { LuaScript } from './lua-scripts.js';
import type { RedisLockClient } from './redis-locking-options.js';
import type { Deadline } from './deadline.js';
import { persistenceWarning, type PersistenceSource } from './persistence-warning.js';

/** How one server answered one script call. */
export type InstanceReply = { ok: true; value: unknown } | { ok: false; reason: string };

/** The slice of the ioredis API used here, common to `Redis` and `Cluster`. */
interface ScriptClient {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(source: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** Connection states in which an attempt to connect is under way. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * One Redis server (or one Redis Cluster) behind the lock, wrapped so that
 * a call never hangs and never lingers: it is sent only while the client is
 * ready (a server known to be down fails at once instead of filling an
 * offline queue that would run stale commands later), and it settles within
 * the given time whatever the server does.
 */
export class RedisInstance {
  /** `host:port` (or `Redis Cluster`) for error messages; never credentials. */
  readonly label: string;
  readonly client: RedisLockClient;
  /** True when this backend created the client and so must close it. */
  readonly owned: boolean;
  /** Passwords to scrub from every message, besides any `user:password@` shape. */
  readonly secrets: readonly string[];
  private lastError: string | undefined;
  private attempt: Promise<void> | undefined;
  private persistence: Promise<string[]> | undefined;
  private readonly onError = (error: unknown): void => {
    this.lastError = redactSecrets(errorText(error), this.secrets);
  };

  constructor(client: RedisLockClient, owned: boolean, secrets: readonly string[]) {
    this.client = client;
    this.owned = owned;
    this.secrets = [...secrets, ...clientSecrets(client)];
    this.label = describeClient(client);
    client.on('error', this.onError);
  }

  /**
   * Runs `script`; resolves how it went, never rejects, by `deadline`.
   * `inline` sends the script body (EVAL) instead of its SHA: one command
   * that cannot fail with NOSCRIPT, for an undo that must run right behind
   * the command it undoes even when that command's reply never came.
   */
  async run(script: LuaScript, keys: string[], args: string[], deadline: Deadline, inline = false): Promise<InstanceReply> {
    try {
      // The common case, a ready connection, takes no extra turn of the event loop.
      if (this.client.status !== 'ready') await this.whenReady(deadline);
      const pending = inline ? this.scriptClient.eval(script.source, keys.length, ...keys, ...args) : this.evaluate(script, keys, args, deadline);
      return { ok: true, value: await deadline.race(pending) };
    } catch (error) {
      return { ok: false, reason: redactSecrets(errorText(error), this.secrets) };
    }
  }

  /**
   * Warnings about servers that forget lock keys on a restart (see
   * `persistenceWarning`): one server, or each master of a Cluster. Runs
   * once, when the client is first ready, off the path of any lock call;
   * a check that failed (say the connection dropped) runs again on the
   * next call of this method. Resolves `[]` while the client is not ready.
   */
  checkPersistence(inQuorum: boolean, timeoutMs: number): Promise<string[]> {
    if (this.persistence !== undefined) return this.persistence;
    if (this.client.status !== 'ready') return Promise.resolve([]);
    const nodes = this.client.isCluster ? (this.client as Cluster).nodes('master') : [this.client as Redis];
    const check = settleWithin(
      Promise.all(nodes.map((node) => persistenceWarning(node as unknown as PersistenceSource, describeClient(node), inQuorum))),
      { ms: timeoutMs, timeoutError: () => new Error(`no reply within ${timeoutMs} ms`) },
    ).then((found) => found.filter((warning): warning is string => warning !== undefined).map((warning) => redactSecrets(warning, this.secrets)));
    this.persistence = check;
    check.catch(() => {
      this.persistence = undefined;
    });
    return check;
  }

  /** Closes an owned client (politely, then by force); detaches from a borrowed one. */
  async close(timeoutMs: number): Promise<void> {
    this.client.off('error', this.onError);
    if (!this.owned) return;
    // Keep swallowing errors of a client that is going away.
    this.client.on('error', () => undefined);
    if (this.client.status === 'ready') {
      await settleWithin(this.client.quit(), { ms: timeoutMs, timeoutError: () => new Error('quit timed out') }).catch(() => undefined);
    }
    this.client.disconnect();
  }

  private get scriptClient(): ScriptClient {
    return this.client as unknown as ScriptClient;
  }

  private evaluate(script: LuaScript, keys: string[], args: string[], deadline: Deadline): Promise<unknown> {
    return this.scriptClient.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      // The server does not know the script yet (first use, restart, SCRIPT
      // FLUSH). Retry with the body only while the caller still waits: a lock
      // taken after its caller gave up would be held by nobody.
      if (error instanceof Error && error.message.startsWith('NOSCRIPT') && !deadline.passed) {
        return this.scriptClient.eval(script.source, keys.length, ...keys, ...args);
      }
      throw error;
    });
  }

  private whenReady(deadline: Deadline): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait') {
      client.connect().catch(() => undefined);
    } else if (!CONNECTING.has(client.status)) {
      return Promise.reject(new Error(this.notConnected()));
    }
    return deadline.race(this.connectionAttempt());
  }

  /** Settles when the attempt under way succeeds or fails; shared by all waiting calls. */
  private connectionAttempt(): Promise<void> {
    if (this.attempt !== undefined) return this.attempt;
    const { client } = this;
    const attempt = new Promise<void>((resolve, reject) => {
      const finish = (error?: Error): void => {
        client.off('ready', onReady);
        client.off('close', onClose);
        client.off('end', onClose);
        this.attempt = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (): void => finish();
      const onClose = (): void => finish(new Error(this.notConnected()));
      client.once('ready', onReady);
      client.once('close', onClose);
      client.once('end', onClose);
    });
    attempt.catch(() => undefined);
    this.attempt = attempt;
    return attempt;
  }

  private notConnected(): string {
    const status = this.client.status;
    const state = status === 'end' ? 'connection closed' : `not connected (${status})`;
    return this.lastError === undefined ? state : `${state}: ${this.lastError}`;
  }
}

/** The password a borrowed client was configured with, so it too is scrubbed. */
function clientSecrets(client: RedisLockClient): string[] {
  const options = (client as { options?: { password?: unknown; redisOptions?: { password?: unknown } } }).options;
  return [options?.password, options?.redisOptions?.password].filter((password): password is string => typeof password === 'string' && password.length > 0);
}

function describeClient(client: RedisLockClient): string {
  if (client.isCluster) return 'Redis Cluster';
  const options = (client as { options?: { host?: string; port?: number; path?: string | null } }).options;
  if (options?.path) return options.path;
  return `${options?.host ?? 'localhost'}:${options?.port ?? 6379}`;
}
