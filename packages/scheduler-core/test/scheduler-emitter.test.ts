import { describe, expect, it } from 'vitest';
import { SchedulerEmitter } from '../src/scheduler-emitter.js';
import type { SchedulerEvents } from '../src/index.js';

const skip: SchedulerEvents['run:skip'] = { plugin: 'p', scheduleId: 's', scheduledAt: 0, nodeId: 'n', isCatchup: false, manual: false, reason: 'paused' };

describe('SchedulerEmitter', () => {
  it('delivers an event to every listener of that event only, in subscription order', () => {
    const emitter = new SchedulerEmitter(() => undefined);
    const seen: string[] = [];
    emitter.on('run:skip', () => seen.push('first'));
    emitter.on('run:skip', () => seen.push('second'));
    emitter.on('run:start', () => seen.push('start'));
    emitter.emit('run:skip', skip);
    expect(seen).toEqual(['first', 'second']);
  });

  it('says whether anyone listens, and stops delivering after unsubscribe', () => {
    const emitter = new SchedulerEmitter(() => undefined);
    expect(emitter.listening('run:skip')).toBe(false);
    const seen: unknown[] = [];
    const off = emitter.on('run:skip', (event) => seen.push(event));
    expect(emitter.listening('run:skip')).toBe(true);
    off();
    off();
    expect(emitter.listening('run:skip')).toBe(false);
    emitter.emit('run:skip', skip);
    expect(seen).toEqual([]);
  });

  it('reports a listener that throws and still calls the others', () => {
    const errors: [string, unknown][] = [];
    const emitter = new SchedulerEmitter((event, error) => errors.push([event, error]));
    const boom = new Error('boom');
    let reached = false;
    emitter.on('run:skip', () => {
      throw boom;
    });
    emitter.on('run:skip', () => {
      reached = true;
    });
    emitter.emit('run:skip', skip);
    expect(reached).toBe(true);
    expect(errors).toEqual([['run:skip', boom]]);
  });

  it('lets a listener unsubscribe another during delivery without skipping the rest of this delivery', () => {
    const emitter = new SchedulerEmitter(() => undefined);
    const seen: string[] = [];
    let offSecond = (): void => undefined;
    emitter.on('run:skip', () => {
      seen.push('first');
      offSecond();
    });
    offSecond = emitter.on('run:skip', () => seen.push('second'));
    emitter.emit('run:skip', skip);
    emitter.emit('run:skip', skip);
    expect(seen).toEqual(['first', 'second', 'first']);
  });

  it('rejects an unknown event and a listener that is not a function, naming them', () => {
    const emitter = new SchedulerEmitter(() => undefined);
    expect(() => emitter.on('run:finish' as 'run:skip', () => undefined)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringMatching(/Unknown scheduler event "run:finish".*use one of run:start, run:success, run:error, run:skip, run:dropped/) }),
    );
    expect(() => emitter.on('run:skip', 'nope' as never)).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringMatching(/Listener for run:skip must be a function/) }));
  });
});
