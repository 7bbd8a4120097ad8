import type { Readable, Writable } from 'node:stream';
import { BelfryError, type Logger } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import { LineSplitter } from './line-splitter.js';
import { RPC_ERRORS, type RpcErrorObject } from './messages.js';
import { parseMessage } from './parse-message.js';

/** How many protocol errors are logged one by one before only every 1000th is. */
const LOGGED_ONE_BY_ONE = 20;
/** Longest excerpt of a bad line that goes into a log message. */
const EXCERPT = 120;

/** Options of {@link RpcPeer}. */
export interface RpcPeerOptions {
  /** Names the other side in every log line, e.g. `poller rss_reader (pid 4711)`. */
  label: string;
  logger: Logger;
  /** Longest line read; a longer one is dropped and logged. */
  maxLineBytes: number;
  /** Called for every well-formed message read: the other side is alive. */
  onActivity?: () => void;
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The host's end of a newline-delimited JSON-RPC 2.0 connection. Requests
 * get increasing integer ids; each reply settles its request. A line that is
 * not JSON-RPC is a protocol error: logged (boundedly, however many arrive)
 * and otherwise ignored, unless it names a pending request, which then fails.
 */
export class RpcPeer {
  readonly #output: Writable;
  readonly #options: RpcPeerOptions;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed: Error | null = null;
  #protocolErrors = 0;

  constructor(input: Readable, output: Writable, options: RpcPeerOptions) {
    this.#output = output;
    this.#options = options;
    const splitter = new LineSplitter(options.maxLineBytes, (event) => {
      if (event.type === 'overflow') this.#protocolError(`a line of ${event.bytes} bytes is longer than the ${options.maxLineBytes}-byte limit; dropped`);
      else this.#onLine(event.line);
    });
    input.on('data', (chunk: Buffer) => splitter.push(chunk));
    input.on('end', () => splitter.end());
    input.on('error', () => {});
    // A child that exits closes its stdin under us; the exit is reported elsewhere.
    output.on('error', () => {});
  }

  /** Protocol errors seen so far. */
  get protocolErrors(): number {
    return this.#protocolErrors;
  }

  /** Sends a request; `response` settles with its result or rejects with its error. */
  request(method: string, params: unknown): { id: number; response: Promise<unknown> } {
    const id = this.#nextId++;
    const response = new Promise<unknown>((resolve, reject) => {
      if (this.#closed !== null) {
        reject(this.#closed);
        return;
      }
      this.#pending.set(id, { method, resolve, reject });
      this.#write({ jsonrpc: '2.0', id, method, params });
    });
    return { id, response };
  }

  notify(method: string, params: unknown): void {
    if (this.#closed === null) this.#write({ jsonrpc: '2.0', method, params });
  }

  /** Stops waiting for a request's reply; a late reply is ignored quietly. */
  forget(id: number): void {
    this.#pending.delete(id);
  }

  /** Fails every pending request with `error`; later requests fail at once. */
  close(error: Error): void {
    if (this.#closed !== null) return;
    this.#closed = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #write(message: unknown): void {
    try {
      this.#output.write(`${JSON.stringify(message)}\n`);
    } catch (error) {
      this.#options.logger.warn(`${this.#options.label}: could not write to its stdin: ${errorText(error)}`);
    }
  }

  #onLine(line: string): void {
    if (line.trim() === '') return;
    const parsed = parseMessage(line);
    if (!parsed.ok) {
      const pending = typeof parsed.id === 'number' ? this.#pending.get(parsed.id) : undefined;
      this.#protocolError(`${parsed.reason}: ${excerpt(line)}`);
      if (pending !== undefined && typeof parsed.id === 'number') {
        this.#pending.delete(parsed.id);
        pending.reject(new BelfryError('poller_protocol', `invalid reply to ${pending.method}: ${parsed.reason}`));
      }
      return;
    }
    const message = parsed.message;
    this.#options.onActivity?.();
    if (message.kind === 'request') {
      this.#write({ jsonrpc: '2.0', id: message.id, error: { code: RPC_ERRORS.methodNotFound, message: `the host serves no requests (got ${message.method})` } });
      return;
    }
    if (message.kind === 'notification') return;
    if (message.id === null || typeof message.id !== 'number' || !this.#pending.has(message.id)) {
      if (message.kind === 'error' && message.id === null) this.#protocolError(`error without a request id: ${message.error.message.slice(0, EXCERPT)}`);
      // Usually the answer to a tick that already timed out: expected, so only a debug line.
      else this.#options.logger.debug?.(`${this.#options.label}: reply to request ${JSON.stringify(message.id)}, which is no longer awaited`);
      return;
    }
    const pending = this.#pending.get(message.id)!;
    this.#pending.delete(message.id);
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(rpcError(pending.method, message.error));
  }

  #protocolError(reason: string): void {
    this.#protocolErrors++;
    const count = this.#protocolErrors;
    const { logger, label } = this.#options;
    if (count <= LOGGED_ONE_BY_ONE) logger.warn(`${label}: protocol error on stdout: ${reason}`);
    if (count === LOGGED_ONE_BY_ONE) logger.warn(`${label}: ${count} protocol errors; from now on only every 1000th is logged`);
    else if (count % 1000 === 0) logger.warn(`${label}: ${count} protocol errors so far; latest: ${reason}`);
  }
}

function rpcError(method: string, error: RpcErrorObject): BelfryError {
  const code = error.code === RPC_ERRORS.requestCancelled ? 'poller_cancelled' : 'poller_tick_failed';
  return new BelfryError(code, `${method} failed in the poller: ${error.message.slice(0, 1000)} (JSON-RPC error ${error.code})`);
}

function excerpt(line: string): string {
  return line.length > EXCERPT ? `${JSON.stringify(line.slice(0, EXCERPT))}… (${line.length} characters)` : JSON.stringify(line);
}
