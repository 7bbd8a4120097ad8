/** What a thrown value says about itself, as plain data. */
export interface ErrorDetails {
  name: string;
  message: string;
  code?: string;
}

/**
 * Turns anything thrown into plain data without ever throwing itself: a
 * thrown `Object.create(null)`, a revoked proxy or a getter that throws all
 * become a readable description rather than a second exception.
 */
export function errorDetails(error: unknown): ErrorDetails {
  if (safeRead(() => error instanceof Error) === true) {
    const thrown = error as Error;
    const name = safeString(() => thrown.name) ?? 'Error';
    const message = safeString(() => thrown.message) ?? 'an error whose message cannot be read';
    const code = safeRead(() => (thrown as { code?: unknown }).code);
    return typeof code === 'string' ? { name, message, code } : { name, message };
  }
  return { name: 'Error', message: describeThrown(error) };
}

/** The message of anything thrown; never throws. */
export function errorText(error: unknown): string {
  return errorDetails(error).message;
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  const message = safeRead(() => (value as { message?: unknown } | null)?.message);
  if (typeof message === 'string') return message;
  const shown = safeString(() => String(value)) ?? safeString(() => Object.prototype.toString.call(value)) ?? 'an unprintable value';
  return `non-error value thrown: ${shown}`;
}

function safeRead(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function safeString(read: () => unknown): string | undefined {
  const value = safeRead(read);
  return typeof value === 'string' ? value : undefined;
}
