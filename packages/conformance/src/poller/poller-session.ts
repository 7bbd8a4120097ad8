import { spawn, type ChildProcess } from 'node:child_process';
import { liveGroupMembers } from './live-group-members.js';
import type { PollerManifest } from './poller-manifest.js';

/** A reply to one request: its result, or its JSON-RPC error. */
export type RpcReply = { result: unknown } | { error: { code: number; message: string } };

/** How a process ended. */
export interface SessionExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Pending {
  what: string;
  resolve(reply: RpcReply): void;
  reject(error: Error): void;
}

const NODE_ENTRY = /\.(?:js|mjs|cjs)$/i;
const INHERITED = ['PATH', 'HOME', 'LANG', 'TZ'] as const;
const KEPT_STDERR_LINES = 5;

/**
 * One poller process as the host would start it — the entry run in the
 * plugin folder with a minimal environment, in its own process group — and
 * the host's end of its JSON-RPC connection. It reads stdout itself, so it
 * sees every line that is not JSON-RPC, and it is the group's leader, so
 * whatever is left of the group after it exits was left behind by the poller.
 */
export class PollerSession {
  readonly pid: number;
  /** stdout lines that are not a JSON-RPC 2.0 message. */
  readonly junk: string[] = [];
  readonly exited: Promise<SessionExit>;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #stderr: string[] = [];
  #nextId = 1;
  #exit: SessionExit | null = null;

  constructor(manifest: PollerManifest, env: Record<string, string> = {}) {
    const childEnv: Record<string, string> = {};
    for (const name of INHERITED) if (process.env[name] !== undefined) childEnv[name] = process.env[name]!;
    Object.assign(childEnv, env);
    const [command, args] = NODE_ENTRY.test(manifest.entryPath) ? [process.execPath, [manifest.entryPath]] : [manifest.entryPath, []];
    this.#child = spawn(command, args, { cwd: manifest.folder, env: childEnv, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.#child.pid ?? -1;
    this.#child.stdin!.on('error', () => {});
    readLines(this.#child.stdout!, (line) => this.#onLine(line));
    readLines(this.#child.stderr!, (line) => {
      this.#stderr.push(line.slice(0, 300));
      if (this.#stderr.length > KEPT_STDERR_LINES) this.#stderr.shift();
    });
    this.exited = new Promise((resolve) => {
      const done = (exit: SessionExit): void => {
        if (this.#exit !== null) return;
        this.#exit = exit;
        for (const pending of this.#pending.values()) {
          pending.reject(new Error(`the poller exited (${describeExit(exit)}) before answering ${pending.what}${this.stderrHint()}`));
        }
        this.#pending.clear();
        resolve(exit);
      };
      this.#child.on('exit', (code, signal) => done({ code, signal }));
      this.#child.on('error', (error) => {
        this.#stderr.push(`could not start ${command}: ${error.message}`);
        done({ code: null, signal: null });
      });
    });
  }

  get hasExited(): boolean {
    return this.#exit !== null;
  }

  /** Sends a request; resolves its reply, or rejects when none comes within `timeoutMs` or the process exits. */
  request(method: string, params: unknown, timeoutMs: number, what = method): { id: number; reply: Promise<RpcReply> } {
    const id = this.#nextId++;
    const reply = new Promise<RpcReply>((resolve, reject) => {
      if (this.#exit !== null) {
        reject(new Error(`the poller had already exited (${describeExit(this.#exit)}) when ${what} was sent${this.stderrHint()}`));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        fn(value);
      };
      this.#pending.set(id, { what, resolve: settle(resolve), reject: settle(reject) });
      this.#write({ jsonrpc: '2.0', id, method, params });
    });
    // A rule may stop awaiting a reply (it failed first); its rejection must not surface as unhandled.
    reply.catch(() => {});
    return { id, reply };
  }

  notify(method: string, params: unknown): void {
    if (this.#exit === null) this.#write({ jsonrpc: '2.0', method, params });
  }

  /** Closes the poller's stdin: how a host that is gone looks to it. */
  endInput(): void {
    this.#child.stdin!.end();
  }

  /** The exit, or null when the process is still running `ms` later. */
  async exitWithin(ms: number): Promise<SessionExit | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Processes of the poller's group still running (the poller itself included while it runs). */
  groupMembers(): number[] {
    return liveGroupMembers(this.pid);
  }

  /** SIGKILLs the leader only, leaving the rest of its group to be seen. */
  killLeader(): void {
    // Without a pid (the spawn failed) there is nothing to signal; -1 would mean every process.
    if (this.pid <= 0) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** SIGKILLs the whole group and waits for the poller to be gone. */
  async destroy(): Promise<void> {
    this.#child.stdin!.destroy();
    if (this.pid <= 0) return;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Nothing left.
    }
    await this.exited;
  }

  /** The poller's last stderr lines, for failure reasons. */
  stderrHint(): string {
    return this.#stderr.length === 0 ? '' : `; its last stderr: ${JSON.stringify(this.#stderr.join(' | '))}`;
  }

  #write(message: unknown): void {
    this.#child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  #onLine(line: string): void {
    if (line.trim() === '') return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.junk.push(line);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || message.jsonrpc !== '2.0') {
      this.junk.push(line);
      return;
    }
    if (typeof message.method === 'string') {
      // The host serves no requests; a notification from the poller is ignored.
      if ('id' in message) this.#write({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'the host serves no requests' } });
      return;
    }
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    const hasResult = 'result' in message;
    const error = message.error as { code?: unknown; message?: unknown } | undefined;
    const wellFormedError = typeof error === 'object' && error !== null && Number.isInteger(error.code) && typeof error.message === 'string';
    if (hasResult === ('error' in message) || (!hasResult && !wellFormedError) || !('id' in message)) {
      this.junk.push(line);
      if (pending !== undefined) {
        this.#pending.delete(message.id as number);
        pending.reject(new Error(`the reply to ${pending.what} is not a JSON-RPC response (exactly one of result or error { code, message }): ${excerpt(line)}`));
      }
      return;
    }
    if (pending === undefined) return; // a late reply to a request no longer awaited
    this.#pending.delete(message.id as number);
    pending.resolve(hasResult ? { result: message.result } : { error: { code: error!.code as number, message: error!.message as string } });
  }
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
    // A line longer than the host's 1 MiB limit would be dropped by it: junk all the same.
    if (buffered.length > 1024 * 1024) {
      onLine(buffered);
      buffered = '';
    }
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
  });
  stream.on('error', () => {});
}

/** How an exit reads in a failure reason. */
export function describeExit(exit: SessionExit): string {
  return exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;
}

function excerpt(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}
