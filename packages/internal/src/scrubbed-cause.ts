import { errorDetails } from './error-text.js';
import { redactSecrets } from './redact-secrets.js';

/**
 * A copy of a driver error, and of its own causes, safe to attach as
 * `cause`: same name and code, messages with every password removed. The
 * original could quote a connection string the driver parsed its own way.
 */
export function scrubbedCause(error: unknown, secrets: readonly string[], depth = 0): Error {
  const { name, message, code } = errorDetails(error);
  const inner = depth < 5 && error instanceof Error && error.cause !== undefined ? { cause: scrubbedCause(error.cause, secrets, depth + 1) } : undefined;
  const copy = new Error(redactSecrets(message, secrets), inner) as Error & { code?: string };
  copy.name = name;
  if (code !== undefined) copy.code = code;
  return copy;
}
