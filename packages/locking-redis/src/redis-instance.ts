import { Command, type Cluster, type Redis } from 'ioredis';
import { errorText, redactSecrets, settleWithin } from '@belfry/internal';
import type { LuaScript } from './lua-scripts.js';
import type { RedisLockClient } from './redis-locking-options.js';
import { persistenceWarning, type PersistenceSource } from './persistence-warning.js';

/** How one server answered one script call. */
export type InstanceReply = { ok: true; value: unknown } | { ok: false; reason: string };

/** A socket whose writes can be held back and sent together. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * The slice of the ioredis API used here, common to `Redis` and `Cluster`
 * (only a `Redis` has one `stream`, and the queue of commands sent on it
 * and waiting for their replies).
 */
interface ScriptClient {
  sendCommand(command: Command): Promise<unknown>;
  options: { keyPrefix?: string };
  stream?: Corkable;
  commandQueue?: { length: number };
}

/** Connection states in which an attempt to connect is under way. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * Commands awaiting replies on a connection beyond which it counts as in
 * concurrent use, so that new commands wait for the end of the tick to
 * share a write. One is a straggler of a quorum call, not a crowd.
 */
const CONCURRENT = 1;

function succeeded(value: unknown): InstanceReply {
  return { ok: true, value };
}

/** What ioredis rejects a command with when its `commandTimeout` runs out. */
const COMMAND_TIMED_OUT = 'Command timed out';

/**
 * One Redis server (or one Redis Cluster) behind the lock, wrapped so that
 * a call never hangs and never lingers: it is sent only while the client is
 * ready (a server known to be down fails at once instead of filling an
 * offline queue that would run stale commands later), and it settles by
 * the call's deadline whatever the server does. The deadline rides on the
 * command itself (ioredis' command timeout), so a call costs no timer race
 * of its own.
 */
export class RedisInstance {
  /** `host:port` (or `Redis Cluster`) for error messages; never credentials. */
  readonly label: string;
  readonly client: RedisLockClient;
  /** True when this backend created the client and so must close it. */
  readonly owned: boolean;
  /** Passwords to scrub from every message, besides any `user:password@` shape. */
  readonly secrets: readonly string[];
  readonly #timeoutMs: number;
  readonly #timedOut: string;
  /** The socket is corked until the end of this tick (see `send`). */
  #corked = false;
  private lastError: string | undefined;
  private attempt: Promise<void> | undefined;
  private persistence: Promise<string[]> | undefined;
  private readonly onError = (error: unknown): void => {
    this.lastError = redactSecrets(errorText(error), this.secrets);
  };

  /** `timeoutMs`: the calls' deadline, named in the message of a call that ran out of it. */
  constructor(client: RedisLockClient, owned: boolean, secrets: readonly string[], timeoutMs: number) {
    this.client = client;
    this.owned = owned;
    this.secrets = [...secrets, ...clientSecrets(client)];
    this.label = describeClient(client);
    this.#timeoutMs = timeoutMs;
    this.#timedOut = `no reply within ${timeoutMs} ms (timeoutMs)`;
    client.on('error', this.onError);
  }

  /**
   * Runs `script`; resolves how it went, never rejects, by `deadline` (on
   * the `performance.now()` scale). `inline` sends the script body (EVAL)
   * instead of its SHA: one command that cannot fail with NOSCRIPT, for an
   * undo that must run right behind the command it undoes even when that
   * command's reply never came. Once the deadline has passed, an undo is
   * still sent, right away, and reported as late without waiting for it;
   * any other command is not sent at all.
   */
  run(script: LuaScript, keys: string[], args: string[], deadline: number, inline = false): Promise<InstanceReply> {
    // The common case, a ready connection, takes no extra turn of the event loop.
    if (this.client.status !== 'ready') return this.runWhenReady(script, keys, args, deadline, inline);
    const left = deadline - performance.now();
    if (left <= 0) {
      // Too late to wait for: an undo still goes out (with a timeout of its own); anything else would act for a caller who gave up.
      if (inline) this.send('eval', script, keys, args, this.#timeoutMs).catch(() => undefined);
      return Promise.resolve({ ok: false, reason: this.#timedOut });
    }
    return this.send(inline ? 'eval' : 'evalsha', script, keys, args, left).then(succeeded, (error: unknown) => {
      // The server does not know the script yet (first use, restart, SCRIPT
      // FLUSH). Retry with the body only while the caller still waits: a lock
      // taken after its caller gave up would be held by nobody.
      const stillLeft = deadline - performance.now();
      if (!inline && error instanceof Error && error.message.startsWith('NOSCRIPT') && stillLeft > 0) {
        return this.send('eval', script, keys, args, stillLeft).then(succeeded, this.#failed);
      }
      return this.#failed(error);
    });
  }

  readonly #failed = (error: unknown): InstanceReply => ({ ok: false, reason: this.reason(error) });

  private async runWhenReady(script: LuaScript, keys: string[], args: string[], deadline: number, inline: boolean): Promise<InstanceReply> {
    try {
      await this.whenReady(deadline);
    } catch (error) {
      return { ok: false, reason: this.reason(error) };
    }
    return this.run(script, keys, args, deadline, inline);
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

  private reason(error: unknown): string {
    if (error instanceof Error && error.message === COMMAND_TIMED_OUT) return this.#timedOut;
    return redactSecrets(errorText(error), this.secrets);
  }

  /**
   * Sends one command that gives up after `timeoutMs` (ioredis' command
   * timeout, the same mechanism as its `commandTimeout` option). While
   * several commands are waiting for replies on the connection, the socket
   * is corked until the end of the current tick: the commands that
   * concurrent callers send in one turn of the event loop (typically, on
   * the replies of one read) leave in one write. That is ioredis'
   * auto-pipelining without its extra turn of the event loop and its
   * pipeline object per batch, which measured slower here. A lone command
   * is written at once.
   */
  private send(name: 'eval' | 'evalsha', script: LuaScript, keys: string[], args: string[], timeoutMs: number): Promise<unknown> {
    const client = this.scriptClient;
    if (!this.#corked && client.stream !== undefined && (client.commandQueue?.length ?? 0) > CONCURRENT) this.cork(client.stream);
    const command = new Command(name, [name === 'eval' ? script.source : script.sha, keys.length, ...keys, ...args], {
      keyPrefix: client.options.keyPrefix,
      replyEncoding: 'utf8',
    });
    // Whole milliseconds: Node keeps one timer list per distinct duration, so concurrent calls share a list.
    command.setTimeout(Math.ceil(timeoutMs));
    return client.sendCommand(command);
  }

  private cork(stream: Corkable): void {
    stream.cork();
    this.#corked = true;
    process.nextTick(() => {
      this.#corked = false;
      stream.uncork();
    });
  }

  private whenReady(deadline: number): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait') {
      client.connect().catch(() => undefined);
    } else if (!CONNECTING.has(client.status)) {
      return Promise.reject(new Error(this.notConnected()));
    }
    // Only a call that finds its connection still being set up pays for a timer.
    return settleWithin(this.connectionAttempt(), { ms: Math.max(0, deadline - performance.now()), timeoutError: () => new Error(this.#timedOut) });
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
