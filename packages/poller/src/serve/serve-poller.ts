import type { Readable, Writable } from 'node:stream';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue, errorText } from '@belfry/internal';
import { LineSplitter } from '../protocol/line-splitter.js';
import { METHOD_CANCEL, METHOD_INITIALIZE, METHOD_SHUTDOWN, RPC_ERRORS, TICK_SUFFIX, type TickParams } from '../protocol/messages.js';
import { parseMessage } from '../protocol/parse-message.js';
import { parseTickAck } from '../protocol/parse-tick-ack.js';
import type { PollerHandler } from './poller-handler.js';

const KIND = /^[a-z][a-z0-9_]+$/;

/** Options of {@link servePoller}; the defaults are the process's own streams. */
export interface ServePollerOptions {
  /** Where requests arrive. Default `process.stdin`. */
  input?: Readable;
  /** Where replies go. Default `process.stdout`: write nothing else there. */
  output?: Writable;
  /** Where `log` lines go. Default `process.stderr`. */
  errorOutput?: Writable;
  /** Called once the host said `shutdown` or closed stdin. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Longest request line read. Default 1 MiB. */
  maxLineBytes?: number;
}

/** What {@link servePoller} returns. */
export interface PollerServer {
  /** Settles when the server stopped (shutdown or end of input), just before `exit` is called. */
  closed: Promise<void>;
}

/**
 * Serves the poller protocol for the given kinds on stdin/stdout: answers
 * `initialize` with the kinds, runs a handler per `<prefix>.tick` (its
 * signal aborts on `$/cancel`), replies with its TickAck (checked: a
 * non-JSON cursor or a metric that is not a finite number fails the tick
 * with a clear message) or with an error, and exits on `shutdown` or when
 * stdin ends, which is also how it notices that the host is gone.
 */
export function servePoller(handlers: Record<string, PollerHandler>, options: ServePollerOptions = {}): PollerServer {
  if (typeof handlers !== 'object' || handlers === null || Array.isArray(handlers)) {
    throw new InvalidArgumentError(`servePoller: handlers must be an object { <kind>: async (tick, { signal, log }) => ({ cursor, metrics }) }, got ${describeValue(handlers)}`);
  }
  const kinds = Object.keys(handlers);
  if (kinds.length === 0) throw new InvalidArgumentError('servePoller: handlers is empty; give one handler per kind your manifest declares');
  for (const kind of kinds) {
    if (!KIND.test(kind)) throw new InvalidArgumentError(`servePoller: kind ${JSON.stringify(kind.slice(0, 40))} must match ^[a-z][a-z0-9_]+$ as in the manifest`);
    if (typeof handlers[kind] !== 'function') throw new InvalidArgumentError(`servePoller: the handler of kind ${JSON.stringify(kind)} must be a function, got ${describeValue(handlers[kind])}`);
  }
  const { input = process.stdin, output = process.stdout, errorOutput = process.stderr, exit = (code: number) => process.exit(code), maxLineBytes = 1024 * 1024 } = options;
  const inFlight = new Map<number | string, AbortController>();
  let closing = false;
  let markClosed = (): void => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const send = (message: object): void => {
    if (!output.writableEnded) output.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  };
  const log = (message: string): void => {
    errorOutput.write(`${String(message).replace(/\r?\n/g, ' ')}\n`);
  };
  const close = (): void => {
    if (closing) return;
    closing = true;
    for (const controller of inFlight.values()) controller.abort(new Error('the poller is shutting down'));
    input.pause();
    // Exit only once the last reply has left, or the host would miss it.
    output.write('', () => {
      markClosed();
      exit(0);
    });
  };

  const runTick = async (id: number | string, params: unknown): Promise<void> => {
    const tick = params as TickParams | null;
    const handler = typeof tick?.kind === 'string' && Object.hasOwn(handlers, tick.kind) ? handlers[tick.kind] : undefined;
    if (handler === undefined) {
      send({ id, error: { code: RPC_ERRORS.invalidParams, message: `this process serves kinds ${kinds.join(', ')}, not ${describeValue(tick?.kind)}` } });
      return;
    }
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      const ack = parseTickAck(await handler(tick!, { signal: controller.signal, log }));
      if (ack.ok) send({ id, result: ack.ack });
      else send({ id, error: { code: RPC_ERRORS.tickFailed, message: `the ${tick!.kind} handler returned an invalid TickAck: ${ack.reason}` } });
    } catch (error) {
      const code = controller.signal.aborted ? RPC_ERRORS.requestCancelled : RPC_ERRORS.tickFailed;
      send({ id, error: { code, message: errorText(error) } });
    } finally {
      inFlight.delete(id);
    }
  };

  const onLine = (line: string): void => {
    if (line.trim() === '' || closing) return;
    const parsed = parseMessage(line);
    if (!parsed.ok) {
      log(`protocol error on stdin: ${parsed.reason}`);
      send({ id: parsed.id ?? null, error: { code: RPC_ERRORS.invalidRequest, message: parsed.reason } });
      return;
    }
    const message = parsed.message;
    if (message.kind === 'notification') {
      if (message.method === METHOD_CANCEL) inFlight.get((message.params as { id?: number } | null)?.id ?? NaN)?.abort(new Error('the host cancelled this tick'));
      return;
    }
    if (message.kind !== 'request') return;
    const { id, method, params } = message;
    if (method === METHOD_INITIALIZE) send({ id, result: { kinds } });
    else if (method === METHOD_SHUTDOWN) {
      send({ id, result: null });
      close();
    } else if (method.endsWith(TICK_SUFFIX)) void runTick(id, params);
    else send({ id, error: { code: RPC_ERRORS.methodNotFound, message: `unknown method ${JSON.stringify(method.slice(0, 80))}` } });
  };

  const splitter = new LineSplitter(maxLineBytes, (event) => {
    if (event.type === 'line') onLine(event.line);
    else log(`protocol error on stdin: a line of ${event.bytes} bytes is over the ${maxLineBytes}-byte limit`);
  });
  input.on('data', (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  // stdin ends when the host stops or dies: either way, this process must not outlive it.
  input.on('end', close);
  input.on('error', close);
  output.on('error', close);
  return { closed };
}
