import {  } from '@belfry/internal';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { jsonProblem } from '@belfry/internal';
import { LineSplitter, type SplitEvent } from '../src/protocol/line-splitter.js';
import { parseMessage } from '../src/protocol/parse-message.js';
import { parseTickAck } from '../src/protocol/parse-tick-ack.js';
import { RpcPeer } from '../src/protocol/rpc-peer.js';
import { recordingLogger } from './support/harness.js';

describe('LineSplitter', () => {
  const split = (chunks: string[], max = 16) => {
    const events: SplitEvent[] = [];
    const splitter = new LineSplitter(max, (event) => events.push(event));
    for (const chunk of chunks) splitter.push(Buffer.from(chunk));
    splitter.end();
    return events;
  };

  test('joins lines split across chunks and drops a trailing \\r', () => {
    expect(split(['{"a":', '1}\r\n{"b"', ':2}\nlast'])).toEqual([
      { type: 'line', line: '{"a":1}' },
      { type: 'line', line: '{"b":2}' },
      { type: 'line', line: 'last' },
    ]);
  });

  test('drops a line over the limit, reports its size once, and goes on with the next line', () => {
    expect(split(['0123456789', '0123456789', '01234\nok\n'])).toEqual([
      { type: 'overflow', bytes: 25 },
      { type: 'line', line: 'ok' },
    ]);
  });

  test('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('ü😀\n');
    const events: SplitEvent[] = [];
    const splitter = new LineSplitter(64, (event) => events.push(event));
    for (const byte of bytes) splitter.push(Buffer.from([byte]));
    expect(events).toEqual([{ type: 'line', line: 'ü😀' }]);
  });
});

describe('parseMessage', () => {
  test.each([
    ['not json', 'not JSON'],
    ['[1,2]', 'batches are not supported'],
    ['{"id":1,"result":1}', 'missing "jsonrpc": "2.0"'],
    ['{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"x"}}', 'exactly one of "result" and "error"'],
    ['{"jsonrpc":"2.0","id":1,"method":"x","result":1}', 'both "method" and "result"'],
    ['{"jsonrpc":"2.0","id":{},"method":"x"}', '"id" must be an integer or a string'],
    ['{"jsonrpc":"2.0","id":1,"error":"boom"}', '"error" must be an object'],
    ['{"jsonrpc":"2.0","id":1.5,"result":1}', 'a result needs an integer or string "id"'],
  ])('%s is a protocol error: %s', (line, reason) => {
    const parsed = parseMessage(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  test('reads requests, notifications, results and errors', () => {
    expect(parseMessage('{"jsonrpc":"2.0","id":3,"method":"poller.tick","params":{"a":1}}')).toEqual({ ok: true, message: { kind: 'request', id: 3, method: 'poller.tick', params: { a: 1 } } });
    expect(parseMessage('{"jsonrpc":"2.0","method":"$/cancel","params":{"id":3}}')).toEqual({ ok: true, message: { kind: 'notification', method: '$/cancel', params: { id: 3 } } });
    expect(parseMessage('{"jsonrpc":"2.0","id":"a","result":null}')).toEqual({ ok: true, message: { kind: 'result', id: 'a', result: null } });
    expect(parseMessage('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}')).toEqual({ ok: true, message: { kind: 'error', id: null, error: { code: -32700, message: 'bad' } } });
  });
});

describe('parseTickAck', () => {
  test('accepts { cursor } and { cursor, metrics } with finite numbers', () => {
    expect(parseTickAck({ cursor: null })).toEqual({ ok: true, ack: { cursor: null } });
    expect(parseTickAck({ cursor: { a: [1] }, metrics: { items: 3, lag: -0.5 } })).toEqual({ ok: true, ack: { cursor: { a: [1] }, metrics: { items: 3, lag: -0.5 } } });
  });

  test.each([
    [null, 'a TickAck must be an object { cursor, metrics? }, got null'],
    [{}, 'must have a "cursor" (null when there is nothing to resume from)'],
    [{ cursor: 1, extra: 2 }, 'has only "cursor" and "metrics", got "extra"'],
    [{ cursor: 1, metrics: { items: Number.NaN } }, 'metrics.items must be a finite number, got NaN'],
    [{ cursor: 1, metrics: { items: Number.POSITIVE_INFINITY } }, 'metrics.items must be a finite number, got Infinity'],
    [{ cursor: 1, metrics: { items: '3' } }, 'metrics.items must be a finite number, got "3"'],
    [{ cursor: 1, metrics: [1] }, 'metrics must be an object of finite numbers, got an array'],
    [{ cursor: 1, metrics: Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`m${index}`, index])) }, 'at most 100 values'],
    [{ cursor: { when: new Date(0) } }, 'cursor.when is an instance of Date, not a plain object'],
    [{ cursor: [1, undefined] }, 'cursor[1] is undefined, which is not JSON'],
  ])('refuses %j: %s', (value, reason) => {
    const parsed = parseTickAck(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  test('jsonProblem finds cycles and excessive depth', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(jsonProblem(cycle, 'cursor')).toBe('cursor.self refers back to itself (a cycle)');
    let deep: unknown = 1;
    for (let level = 0; level < 70; level++) deep = [deep];
    expect(jsonProblem(deep, 'cursor')).toContain('nested more than 64 levels deep');
    const shared = { a: 1 };
    expect(jsonProblem({ x: shared, y: shared }, 'cursor')).toBeNull();
  });
});

describe('RpcPeer', () => {
  function peer(maxLineBytes = 1024) {
    const fromChild = new PassThrough();
    const toChild = new PassThrough();
    const logger = recordingLogger();
    const sent: string[] = [];
    toChild.on('data', (chunk: Buffer) => sent.push(...chunk.toString().split('\n').filter(Boolean)));
    return { rpc: new RpcPeer(fromChild, toChild, { label: 'poller test (pid 1)', logger, maxLineBytes }), fromChild, logger, sent };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  test('settles a request with its result, and rejects it with a coded error on a JSON-RPC error', async () => {
    const { rpc, fromChild, sent } = peer();
    const first = rpc.request('initialize', { a: 1 });
    const second = rpc.request('poller.tick', {});
    expect(sent.map((line) => JSON.parse(line))).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { a: 1 } },
      { jsonrpc: '2.0', id: 2, method: 'poller.tick', params: {} },
    ]);
    fromChild.write('{"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"boom"}}\n{"jsonrpc":"2.0","id":1,"result":{"kinds":[]}}\n');
    await expect(first.response).resolves.toEqual({ kinds: [] });
    await expect(second.response).rejects.toMatchObject({ code: 'poller_tick_failed', message: 'poller.tick failed in the poller: boom (JSON-RPC error -32000)' });
  });

  test('an over-long line is dropped and logged with the label, and the peer goes on', async () => {
    const { rpc, fromChild, logger } = peer(1024);
    const pending = rpc.request('initialize', {});
    fromChild.write(`${'x'.repeat(5000)}\n{"jsonrpc":"2.0","id":1,"result":1}\n`);
    await expect(pending.response).resolves.toBe(1);
    expect(logger.text()).toContain('warn: poller test (pid 1): protocol error on stdout: a line of 5000 bytes is longer than the 1024-byte limit; dropped');
    expect(rpc.protocolErrors).toBe(1);
  });

  test('answers a request from the child with method-not-found, and close fails pending requests', async () => {
    const { rpc, fromChild, sent } = peer();
    fromChild.write('{"jsonrpc":"2.0","id":9,"method":"sampling"}\n');
    await tick();
    expect(JSON.parse(sent.at(-1)!)).toMatchObject({ id: 9, error: { code: -32601 } });
    const pending = rpc.request('poller.tick', {});
    rpc.close(new Error('gone'));
    await expect(pending.response).rejects.toThrow('gone');
    await expect(rpc.request('poller.tick', {}).response).rejects.toThrow('gone');
  });
});
