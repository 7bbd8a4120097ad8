import type { JsonValue } from './json-value.js';

/*
 * The poller protocol's messages: newline-delimited JSON-RPC 2.0 between a
 * host and a poller process, in any language. Methods: `initialize`,
 * `<broker_topic_prefix>.tick`, the notification `$/cancel` and `shutdown`.
 */

/** `initialize` params, host → child. */
export interface InitializeParams {
  apiVersion: string;
  plugin: string;
  kinds: string[];
}

/** `initialize` result, child → host: the kinds this process serves. */
export interface InitializeResult {
  kinds: string[];
}

/** `<prefix>.tick` params, host → child. */
export interface TickParams {
  job: string;
  kind: string;
  /** Nominal firing time, ms since the epoch. */
  scheduledAt: number;
  isCatchup: boolean;
  /** Fencing token of the run, or null when the run holds no global lock. */
  fence: number | null;
  /** When the host stops waiting for the reply, ms since the epoch. */
  deadline: number;
  /** The cursor the last successful tick of this job returned; null on the first tick. */
  cursor: JsonValue;
  config: JsonValue;
}

/** A tick's reply, child → host. */
export interface TickAck {
  /** Where the next tick resumes; any JSON value, null for none. */
  cursor: JsonValue;
  /** Finite numbers to report for this tick, e.g. `{ items: 12 }`. */
  metrics?: Record<string, number>;
}
