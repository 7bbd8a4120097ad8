import { BelfryError, LockBackendError } from '@belfry/plugin-api';
import { errorDetails, redactSecrets, scrubbedCause } from '@belfry/internal';
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

/** Node socket errors of a server that is not there, and of a host name that does not resolve. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);
const UNKNOWN_HOST = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/**
 * Turns whatever node-postgres threw into a `LockBackendError` whose
 * message says what failed, where, and the fix for that kind of failure —
 * with any password removed, from the message and from the attached cause.
 * Belfry errors pass through unchanged.
 */
export function toLockBackendError(error: unknown, context: ErrorContext): Error {
  if (error instanceof BelfryError) return error;
  const { message, code } = errorDetails(error);
  const where = `${context.operation} on PostgreSQL ${context.server}`;
  let reason: string;
  if (error instanceof TimeoutExceededError) {
    reason =
      error.what === 'waiting for a connection'
        ? `no answer while waiting for a connection within the bound of ${context.timeoutMs} ms (timeoutMs). Fix: start the server or correct the host and port; if it is up but overloaded, or every pooled connection is in use (advisory mode pins one per held lock), raise maxConnections or timeoutMs`
        : `no answer while ${error.what} within the bound of ${context.timeoutMs} ms (timeoutMs): the server is overloaded or stalled, or the row is locked by another session. Fix: find the session holding it (pg_stat_activity) or raise timeoutMs`;
  } else if (code === '42P01') {
    reason = `${context.relation} does not exist. Fix: call \`await locking.setup()\` once (it creates the table and sequence) before locking`;
  } else if (code === '55P03') {
    reason = `gave up waiting for a lock held by another session (lock_timeout, derived from timeoutMs ${context.timeoutMs} ms). Fix: find the session holding it (pg_stat_activity)`;
  } else if (code === '57014') {
    reason = 'the statement was cancelled by statement_timeout. Fix: raise the statement_timeout of this role or database';
  } else {
    reason = `${message}${code === undefined ? '' : ` (${code})`}${fixFor(code, message)}`;
  }
  const secrets = context.secrets;
  return new LockBackendError(redactSecrets(`${where} failed: ${reason}`, secrets), { cause: scrubbedCause(error, secrets) });
}

/** `. Fix: …` for a failure class, by SQLSTATE or socket error code; `''` when unknown. */
function fixFor(code: string | undefined, message: string): string {
  let fix: string | undefined;
  if (code === '28P01') fix = 'correct the password in the connection string';
  else if (code === '28000') fix = 'correct the user name in the connection string, or let the server accept it (CREATE ROLE, pg_hba.conf)';
  else if (code === '3D000') fix = 'correct the database name in the connection string, or create the database';
  else if (code === '42501') fix = 'grant this user the rights on the lock table and sequence, or run setup() as a user who may create them';
  else if (code === '53300') fix = 'the server has no connection slot left: lower maxConnections here or elsewhere, or raise max_connections';
  else if (code === '57P03') fix = 'the server is starting or shutting down: retry once it is up';
  else if (code !== undefined && UNKNOWN_HOST.has(code)) fix = 'correct the host name in the connection string';
  else if ((code !== undefined && UNREACHABLE.has(code)) || code?.startsWith('08') === true) fix = 'start the server, or correct the host and port in the connection string';
  else if (/does not support SSL/i.test(message)) fix = 'remove sslmode from the connection string, or enable SSL on the server';
  return fix === undefined ? '' : `. Fix: ${fix}`;
}
