/** SQLSTATE classes and codes that mean the session is gone rather than the statement being wrong. */
const LOST_SESSION_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * True when `error` says the connection broke (server restarted, backend
 * terminated, socket reset) — the statement may not have run, and a fresh
 * connection may well succeed.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (LOST_SESSION_CODES.has(code) || code.startsWith('08'))) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|not queryable|Client was closed|terminating connection/i.test(message)
  );
}
