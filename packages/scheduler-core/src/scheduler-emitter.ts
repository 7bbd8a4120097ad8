import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import type { SchedulerEventName, SchedulerEvents, SchedulerListener } from './scheduler-types.js';

const EVENT_NAMES: readonly SchedulerEventName[] = ['run:start', 'run:success', 'run:error', 'run:skip', 'run:dropped'];

/**
 * Typed listeners of the scheduler's events. A listener that throws is
 * reported to `onListenerError` and never stops the others.
 */
export class SchedulerEmitter {
  private readonly listeners = new Map<SchedulerEventName, Set<(event: never) => void>>();

  constructor(private readonly onListenerError: (event: SchedulerEventName, error: unknown) => void) {}

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends SchedulerEventName>(event: E, listener: SchedulerListener<E>): () => void {
    if (!EVENT_NAMES.includes(event)) {
      throw new InvalidArgumentError(`Unknown scheduler event ${describeValue(event)}; use one of ${EVENT_NAMES.join(', ')}`);
    }
    if (typeof listener !== 'function') {
      throw new InvalidArgumentError(`Listener for ${event} must be a function (got ${describeValue(listener)})`);
    }
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const stored = listener as (event: never) => void;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  /** Lets hot paths skip building payloads nobody will read. */
  listening(event: SchedulerEventName): boolean {
    const set = this.listeners.get(event);
    return set !== undefined && set.size > 0;
  }

  emit<E extends SchedulerEventName>(event: E, payload: SchedulerEvents[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as SchedulerListener<E>)(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
