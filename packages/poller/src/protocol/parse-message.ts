import type { RpcMessage } from './messages.js';

/** What one line parsed into: a message, or why it is not one. */
export type ParsedLine = { ok: true; message: RpcMessage } | { ok: false; reason: string; id?: number | string };

/**
 * Reads one line as a JSON-RPC 2.0 message. Never throws: a line that is not
 * JSON, not an object, lacks `"jsonrpc": "2.0"` or mixes a request with a
 * response is a reason, which the caller logs as a protocol error.
 */
export function parseMessage(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `not a JSON-RPC object (got ${Array.isArray(value) ? 'an array; batches are not supported' : typeof value})` };
  }
  const message = value as Record<string, unknown>;
  const id = message['id'];
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
  const shownId = validId ? { id: id as number | string } : {};
  if (message['jsonrpc'] !== '2.0') return { ok: false, reason: 'missing "jsonrpc": "2.0"', ...shownId };
  const hasMethod = 'method' in message;
  const hasResult = 'result' in message;
  const hasError = 'error' in message;
  if (hasMethod) {
    if (hasResult || hasError) return { ok: false, reason: 'a message has both "method" and "result"/"error"', ...shownId };
    if (typeof message['method'] !== 'string' || message['method'] === '') return { ok: false, reason: '"method" must be a non-empty string', ...shownId };
    const method = message['method'];
    if (!('id' in message)) return { ok: true, message: { kind: 'notification', method, params: message['params'] } };
    if (!validId) return { ok: false, reason: '"id" must be an integer or a string' };
    return { ok: true, message: { kind: 'request', id: id as number | string, method, params: message['params'] } };
  }
  if (hasResult === hasError) return { ok: false, reason: 'a response needs exactly one of "result" and "error"', ...shownId };
  if (hasResult) {
    if (!validId) return { ok: false, reason: 'a result needs an integer or string "id"' };
    return { ok: true, message: { kind: 'result', id: id as number | string, result: message['result'] } };
  }
  const error = message['error'];
  if (typeof error !== 'object' || error === null || typeof (error as { code?: unknown }).code !== 'number' || typeof (error as { message?: unknown }).message !== 'string') {
    return { ok: false, reason: '"error" must be an object { code: number, message: string }', ...shownId };
  }
  if (!validId && id !== null) return { ok: false, reason: 'an error response needs an integer, string or null "id"' };
  const { code, message: text, data } = error as { code: number; message: string; data?: never };
  return { ok: true, message: { kind: 'error', id: (id ?? null) as number | string | null, error: data === undefined ? { code, message: text } : { code, message: text, data } } };
}
