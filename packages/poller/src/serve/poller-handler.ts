import type { TickAck, TickParams } from '../protocol/messages.js';

/** What a handler gets besides the tick. */
export interface PollerTickContext {
  /** Aborts when the host cancels the tick (its deadline passed) or shuts the process down. */
  signal: AbortSignal;
  /** Writes one line to stderr, which the host logs under the plugin's id. */
  log(message: string): void;
}

/** Polls one kind: reads `tick.cursor`, does the work, returns where the next tick resumes. */
export type PollerHandler = (tick: TickParams, context: PollerTickContext) => TickAck | Promise<TickAck>;
