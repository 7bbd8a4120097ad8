import { describe, expect, it } from 'vitest';
import { RunAbort } from '../src/run-abort.js';

describe('RunAbort', () => {
  it('makes no signal until one is read, and then an ordinary one that aborts with the reason', () => {
    const abort = new RunAbort();
    const signal = abort.signal;
    expect(abort.signal).toBe(signal);
    const seen: unknown[] = [];
    signal.addEventListener('abort', () => seen.push(signal.reason));
    const reason = new Error('stop');
    abort.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(seen).toEqual([reason]);
    expect(abort.aborted).toBe(true);
    expect(abort.reason).toBe(reason);
  });

  it('gives a signal read after the abort already aborted, with the same reason', () => {
    const abort = new RunAbort();
    const reason = new Error('timeout');
    abort.abort(reason);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(reason);
  });

  it('keeps the first reason, and runs hooks once, before the signal’s listeners', () => {
    const abort = new RunAbort();
    const order: string[] = [];
    abort.onAbort(() => order.push('hook'));
    const taken = abort.onAbort(() => order.push('taken back'));
    taken();
    abort.signal.addEventListener('abort', () => order.push('listener'));
    const first = new Error('first');
    abort.abort(first);
    abort.abort(new Error('second'));
    expect(order).toEqual(['hook', 'listener']);
    expect(abort.reason).toBe(first);
    expect(abort.signal.reason).toBe(first);
  });
});
