import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { servePoller, type PollerHandler } from '../src/serve/index.js';

function serve(handlers: Record<string, PollerHandler>) {
  const input = new PassThrough();
  const output = new PassThrough();
  const errorOutput = new PassThrough();
  const replies: Array<Record<string, unknown>> = [];
  const logs: string[] = [];
  output.on('data', (chunk: Buffer) => replies.push(...chunk.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)));
  errorOutput.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  const exits: number[] = [];
  const server = servePoller(handlers, { input, output, errorOutput, exit: (code) => void exits.push(code) });
  const send = (message: object) => input.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const replyTo = async (id: number) => {
    for (let turn = 0; turn < 1000 && !replies.some((reply) => reply['id'] === id); turn++) await new Promise((resolve) => setImmediate(resolve));
    return replies.find((reply) => reply['id'] === id);
  };
  return { input, send, replyTo, replies, logs, exits, server };
}

const tickParams = (kind: string, extra: object = {}) => ({ job: 'news', kind, scheduledAt: 1, isCatchup: false, fence: null, deadline: 2, cursor: null, config: null, ...extra });

describe('servePoller', () => {
  test('answers initialize with its kinds and a tick with the handler\'s TickAck', async () => {
    const { send, replyTo } = serve({ rss: async (tick) => ({ cursor: { seen: tick.job }, metrics: { items: 1 } }) });
    send({ id: 1, method: 'initialize', params: { apiVersion: '1.0.0', plugin: 'p', kinds: ['rss'] } });
    expect(await replyTo(1)).toEqual({ jsonrpc: '2.0', id: 1, result: { kinds: ['rss'] } });
    send({ id: 2, method: 'anything.tick', params: tickParams('rss') });
    expect(await replyTo(2)).toEqual({ jsonrpc: '2.0', id: 2, result: { cursor: { seen: 'news' }, metrics: { items: 1 } } });
  });

  test('a handler that throws fails the tick with its message; an invalid TickAck fails it with the reason', async () => {
    const { send, replyTo } = serve({
      bad: async () => {
        throw new Error('503 from upstream');
      },
      nan: () => ({ cursor: 1, metrics: { items: Number.NaN } }),
    });
    send({ id: 1, method: 'p.tick', params: tickParams('bad') });
    expect(await replyTo(1)).toMatchObject({ error: { code: -32000, message: '503 from upstream' } });
    send({ id: 2, method: 'p.tick', params: tickParams('nan') });
    expect(await replyTo(2)).toMatchObject({ error: { code: -32000, message: 'the nan handler returned an invalid TickAck: metrics.items must be a finite number, got NaN' } });
  });

  test('$/cancel aborts the handler\'s signal; its rejection is answered as cancelled', async () => {
    const { send, replyTo } = serve({
      slow: (_tick, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    });
    send({ id: 5, method: 'p.tick', params: tickParams('slow') });
    send({ method: '$/cancel', params: { id: 5 } });
    expect(await replyTo(5)).toMatchObject({ error: { code: -32800, message: 'stopped' } });
  });

  test('unknown kinds, unknown methods and junk lines get JSON-RPC errors, and log() writes one line to stderr', async () => {
    const { send, replyTo, input, replies, logs } = serve({
      rss: (_tick, { log }) => {
        log('two\nlines');
        return { cursor: null };
      },
    });
    send({ id: 1, method: 'p.tick', params: tickParams('atom') });
    expect(await replyTo(1)).toMatchObject({ error: { code: -32602, message: 'this process serves kinds rss, not "atom" (string of length 4)' } });
    send({ id: 2, method: 'other' });
    expect(await replyTo(2)).toMatchObject({ error: { code: -32601 } });
    input.write('junk\n');
    send({ id: 3, method: 'p.tick', params: tickParams('rss') });
    await replyTo(3);
    expect(replies.some((reply) => reply['id'] === null && (reply['error'] as { code: number }).code === -32600)).toBe(true);
    expect(logs).toContain('two lines');
  });

  test('shutdown answers, aborts ticks in flight and exits 0; so does the end of stdin', async () => {
    const first = serve({ slow: (_tick, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ cursor: 'aborted' }))) });
    first.send({ id: 1, method: 'p.tick', params: tickParams('slow') });
    first.send({ id: 2, method: 'shutdown' });
    expect(await first.replyTo(2)).toEqual({ jsonrpc: '2.0', id: 2, result: null });
    await first.server.closed;
    expect(first.exits).toEqual([0]);
    const second = serve({ rss: () => ({ cursor: null }) });
    second.input.end();
    await second.server.closed;
    expect(second.exits).toEqual([0]);
  });

  test('bad handlers are refused with the kind and the fix', () => {
    expect(() => servePoller({})).toThrow('handlers is empty; give one handler per kind your manifest declares');
    expect(() => servePoller({ RSS: () => ({ cursor: null }) })).toThrow('kind "RSS" must match ^[a-z][a-z0-9_]+$');
    expect(() => servePoller({ rss: 'nope' as never })).toThrow('the handler of kind "rss" must be a function');
    expect(() => servePoller(null as never)).toThrow('handlers must be an object');
  });
});
