import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { BelfryError, type Clock, type Logger } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import { LineSplitter } from '../protocol/line-splitter.js';
import { METHOD_CANCEL, METHOD_INITIALIZE, METHOD_SHUTDOWN, type InitializeParams } from '../protocol/messages.js';
import { RpcPeer } from '../protocol/rpc-peer.js';
import type { ResolvedPlugin } from '../resolved-plugin.js';
import { pollerCommand } from './poller-command.js';
import { signalGroup } from './process-group.js';
import { untilAborted } from './until-aborted.js';
import { WATCHDOG_SCRIPT } from './watchdog-script.js';

const STDERR_LINES_PER_WINDOW = 200;
const STDERR_WINDOW_MS = 10_000;
/** What Node prints on stderr when a heap passes `--max-old-space-size`, just before it aborts. */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;
/**
 * Once the process group is killed its stderr closes at once; only a process
 * that left the group could hold it open, and then its output no longer
 * matters. Real time, not the clock: this bounds pipe I/O, not a schedule.
 */
const STDERR_DRAIN_LIMIT_MS = 500;

/** How a poller process ended. */
export interface PollerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How {@link PollerProcess.start} waits. */
export interface StartOptions {
  /** How long `initialize` may take (on the clock). */
  initTimeoutMs: number;
  /** Gives up the start (and kills the process) when it aborts. */
  abort?: AbortSignal;
  /** Sees the process as soon as it exists, before it is initialized, so a stop can reach it. */
  onSpawn?: (running: PollerProcess) => void;
}

/** What a poller process needs from the runtime. */
export interface PollerProcessDeps {
  clock: Clock;
  logger: Logger;
  apiVersion: string;
  maxLineBytes: number;
}

/**
 * One running poller: its own process group (the watchdog and the poller),
 * a JSON-RPC peer on its stdin/stdout, its stderr logged line by line under
 * its plugin id. `start` resolves once the process answered `initialize`
 * with exactly the manifest's kinds, and kills it otherwise.
 */
export class PollerProcess {
  readonly pid: number;
  readonly label: string;
  /** Settles when the watchdog (and with it the poller) has exited. */
  readonly exited: Promise<PollerExit>;
  readonly #child: ChildProcess;
  readonly #peer: RpcPeer;
  readonly #plugin: ResolvedPlugin;
  readonly #deps: PollerProcessDeps;
  #exit: PollerExit | null = null;
  /** Node reported on stderr that the heap limit was reached. */
  #outOfMemory = false;
  #messagesRead = 0;

  private constructor(child: ChildProcess, plugin: ResolvedPlugin, deps: PollerProcessDeps) {
    this.#child = child;
    this.#plugin = plugin;
    this.#deps = deps;
    this.pid = child.pid!;
    this.label = `poller ${plugin.id} (pid ${this.pid})`;
    const [stdin, stdout, stderr] = child.stdio as unknown as [Writable, Readable, Readable];
    this.#peer = new RpcPeer(stdout, stdin, {
      label: this.label,
      logger: deps.logger,
      maxLineBytes: deps.maxLineBytes,
      onActivity: () => {
        this.#messagesRead++;
      },
    });
    this.#logStderr(stderr);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        const exit: PollerExit = { code, signal };
        this.#exit = exit;
        // Whatever the poller left behind in its group goes with it.
        signalGroup(this.pid, 'SIGKILL');
        // Its last stderr lines (Node's heap-limit report) say why it died: read them before failing its ticks.
        void stderrClosed(stderr).then(() => {
          this.#peer.close(new BelfryError('poller_exited', this.exitReason!));
          resolve(exit);
        });
      });
    });
  }

  /** Spawns the plugin's poller and initializes it; rejects (with the process killed) when it does not answer as its manifest says. */
  static async start(plugin: ResolvedPlugin, deps: PollerProcessDeps, options: StartOptions): Promise<PollerProcess> {
    const { initTimeoutMs, abort, onSpawn } = options;
    const { command, args, cwd, env } = pollerCommand(plugin);
    try {
      await access(plugin.entryPath, constants.R_OK);
    } catch (error) {
      throw new BelfryError('poller_start_failed', `poller ${plugin.id}: entry ${plugin.entryPath} cannot be read (${errorText(error)}); build the plugin or fix "entry" in its manifest`);
    }
    if (command === plugin.entryPath) {
      await access(plugin.entryPath, constants.X_OK).catch(() => {
        throw new BelfryError('poller_start_failed', `poller ${plugin.id}: entry ${plugin.entryPath} is not executable; run chmod +x on it (with a #! line for a script), or use a .js/.mjs/.cjs entry`);
      });
    }
    const child = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, command, ...args], {
      cwd,
      env,
      // Its own process group, so a kill reaches everything the poller started.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      const error = await new Promise<unknown>((resolve) => child.once('error', resolve));
      throw new BelfryError('poller_start_failed', `poller ${plugin.id}: could not start ${process.execPath}: ${errorText(error)}`);
    }
    child.on('error', (error) => deps.logger.warn(`poller ${plugin.id}: ${errorText(error)}`));
    const running = new PollerProcess(child, plugin, deps);
    onSpawn?.(running);
    try {
      await running.#initialize(initTimeoutMs, abort);
    } catch (error) {
      running.kill();
      throw error;
    }
    return running;
  }

  /** Why the process ended, for logs and failed ticks; null while it runs. */
  get exitReason(): string | null {
    if (this.#exit === null) return null;
    const how = describeExit(this.#exit);
    if (!this.#outOfMemory) return `${this.label} exited (${how})`;
    const mb = this.#plugin.maxOldSpaceSizeMb;
    const limit = mb === undefined ? "Node's default heap limit" : `its heap limit (--max-old-space-size=${mb} MiB)`;
    return `${this.label} ran out of memory: it passed ${limit} and was stopped by Node (${how})`;
  }

  get hasExited(): boolean {
    return this.#exit !== null;
  }

  /** Well-formed messages read from the process so far: a sign of life. */
  get messagesRead(): number {
    return this.#messagesRead;
  }

  request(method: string, params: unknown): { id: number; response: Promise<unknown> } {
    return this.#peer.request(method, params);
  }

  /** Tells the poller to give up tick `id` and stops waiting for its reply. */
  cancel(id: number): void {
    this.#peer.notify(METHOD_CANCEL, { id });
    this.#peer.forget(id);
  }

  /** Asks the poller to exit; does not wait. */
  shutdown(): void {
    void this.#peer.request(METHOD_SHUTDOWN, {}).response.catch(() => {});
  }

  /** SIGKILLs the whole process group now. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    signalGroup(this.pid, signal);
  }

  /**
   * Asks for a shutdown (and with `term`, sends SIGTERM to the group at once)
   * and, if it is still there `graceMs` later (on the clock), SIGKILL.
   * Resolves when it exited.
   */
  async retire(graceMs: number, { term }: { term: boolean }): Promise<PollerExit> {
    if (this.#exit !== null) return this.#exit;
    this.shutdown();
    if (term) this.kill('SIGTERM');
    const cancel = this.#deps.clock.setTimer(() => this.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    cancel();
    return exit;
  }

  async #initialize(timeoutMs: number, abort: AbortSignal | undefined): Promise<void> {
    const { id, response } = this.#peer.request(METHOD_INITIALIZE, { apiVersion: this.#deps.apiVersion, plugin: this.#plugin.id, kinds: this.#plugin.kinds } satisfies InitializeParams);
    let cancelTimer = (): void => {};
    const timedOut = new Promise<never>((_, reject) => {
      cancelTimer = this.#deps.clock.setTimer(() => {
        this.#peer.forget(id);
        reject(new BelfryError('poller_start_failed', `${this.label} did not answer initialize within ${timeoutMs} ms; it must read JSON-RPC lines on stdin and reply on stdout`));
      }, timeoutMs);
    });
    let result: unknown;
    try {
      const answered = Promise.race([response, timedOut]);
      result = await (abort === undefined ? answered : untilAborted(answered, abort));
    } catch (error) {
      throw new BelfryError('poller_start_failed', `${this.label} failed to initialize: ${errorText(error)}`, { cause: error });
    } finally {
      cancelTimer();
    }
    const served = (result as { kinds?: unknown } | null)?.kinds;
    if (!Array.isArray(served) || served.some((kind) => typeof kind !== 'string')) {
      throw new BelfryError('poller_start_failed', `${this.label} answered initialize without a "kinds" array of strings; reply { "kinds": [${this.#plugin.kinds.map((kind) => JSON.stringify(kind)).join(', ')}] }`);
    }
    const expected = [...this.#plugin.kinds].sort().join(', ');
    const got = [...new Set(served as string[])].sort().join(', ');
    if (got !== expected || served.length !== this.#plugin.kinds.length) {
      throw new BelfryError('poller_start_failed', `${this.label} serves kinds [${got}] but its manifest declares [${expected}]; the two must match exactly, so the process was refused`);
    }
  }

  /** Logs stderr line by line, at most STDERR_LINES_PER_WINDOW per window, so a chatty poller cannot flood the host's log. */
  #logStderr(stderr: Readable): void {
    const { logger, maxLineBytes, clock } = this.#deps;
    const id = this.#plugin.id;
    const fields = { plugin: id, pid: this.pid };
    let windowStart = clock.now();
    let logged = 0;
    let dropped = 0;
    const admit = (): boolean => {
      if (clock.now() - windowStart >= STDERR_WINDOW_MS) {
        if (dropped > 0) logger.warn(`[${id}] ${dropped} stderr lines were dropped in the previous ${STDERR_WINDOW_MS / 1000} s`, fields);
        windowStart = clock.now();
        logged = 0;
        dropped = 0;
      }
      if (logged < STDERR_LINES_PER_WINDOW) {
        logged++;
        return true;
      }
      if (dropped++ === 0) logger.warn(`[${id}] more than ${STDERR_LINES_PER_WINDOW} stderr lines in ${STDERR_WINDOW_MS / 1000} s; dropping the rest of this window`, fields);
      return false;
    };
    const splitter = new LineSplitter(maxLineBytes, (event) => {
      if (event.type === 'line' && event.line === '') return;
      // Seen before the rate limit, so a chatty poller cannot hide why it died.
      if (event.type === 'line' && OUT_OF_MEMORY.test(event.line)) this.#outOfMemory = true;
      if (!admit()) return;
      if (event.type === 'overflow') logger.warn(`[${id}] (a stderr line of ${event.bytes} bytes was dropped)`, fields);
      else logger.info(`[${id}] ${event.line}`, fields);
    });
    stderr.on('data', (chunk: Buffer) => splitter.push(chunk));
    stderr.on('end', () => splitter.end());
    stderr.on('error', () => {});
  }
}

/** Resolves when `stderr` has closed (everything written to it was read), or after STDERR_DRAIN_LIMIT_MS. */
function stderrClosed(stderr: Readable): Promise<void> {
  if (stderr.closed || stderr.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const limit = setTimeout(done, STDERR_DRAIN_LIMIT_MS);
    limit.unref();
    function done(): void {
      clearTimeout(limit);
      stderr.off('close', done);
      resolve();
    }
    stderr.once('close', done);
  });
}

function describeExit(exit: PollerExit): string {
  return exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;
}
