import type { JsonValue } from '@belfry/plugin-api';

/** Method names of the poller protocol; a tick's method is `<broker_topic_prefix>.tick`. */
export const METHOD_INITIALIZE = 'initialize';
export const METHOD_SHUTDOWN = 'shutdown';
export const METHOD_CANCEL = '$/cancel';
export const TICK_SUFFIX = '.tick';

/** JSON-RPC error codes the protocol uses. */
export const RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** The handler of a tick threw or returned something that is not a TickAck. */
  tickFailed: -32000,
  /** The tick was cancelled (`$/cancel`) before it finished; as in LSP. */
  requestCancelled: -32800,
} as const;

export type { InitializeParams, InitializeResult, TickAck, TickParams } from '@belfry/plugin-api';

/** A JSON-RPC error object. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: JsonValue;
}

/** Any message of the protocol, as read from a line. */
export type RpcMessage =
  | { kind: 'request'; id: number | string; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'result'; id: number | string; result: unknown }
  | { kind: 'error'; id: number | string | null; error: RpcErrorObject };
