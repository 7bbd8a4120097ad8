import { BelfryError, LockBackendError } from '@belfry/plugin-api';
import { redactSecrets } from '@belfry/internal';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/** Where an error happened, for the message. */
export interface ErrorContext {
  /** What was being done, e.g. `tryLock("job")`. */
  operation: string;
  /** `host:port/database` without credentials. */
  server: string;
  /** Qualified name of the lock table or sequence, for the "call setup()" hint. */
  relation: string;
  /** Strings that must never appear in a message (the password). */
  secrets: readonly string[];
  /** The configured bound, for timeout messages. */
  timeoutMs: number;
}

/**
 * Turns whatever node-postgres threw into a `LockBackendError` whose
 * message says what failed, where, and what to do — with any password
 * removed. Belfry errors pass through unchanged.
 */
export function toLockBackendError(error: unknown, context: ErrorContext): Error {
  if (error instanceof BelfryError) return error;
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const where = `${context.operation} on PostgreSQL ${context.server}`;
  let reason: string;
  if (error instanceof TimeoutExceededError) {
    reason = `no answer while ${error.what} within the bound of ${context.timeoutMs} ms (timeoutMs): the server is unreachable or overloaded, or the row is locked by another session`;
  } else if (code === '42P01') {
    reason = `${context.relation} does not exist: call \`await locking.setup()\` once (it creates the table and sequence) before locking`;
  } else if (code === '55P03') {
    reason = `gave up waiting for a lock held by another session (lock_timeout, derived from timeoutMs ${context.timeoutMs} ms)`;
  } else if (code === '57014') {
    reason = 'the statement was cancelled by statement_timeout';
  } else {
    const text = typeof message === 'string' && message.length > 0 ? message : String(error);
    reason = typeof code === 'string' ? `${text} (${code})` : text;
  }
  return new LockBackendError(redactSecrets(`${where} failed: ${reason}`, context.secrets), { cause: error });
}
