import type { MiddlewareHandler } from 'hono';

/** The names a loopback-bound dashboard answers to. */
export const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether `bind` is an interface only this machine can reach. */
export function isLoopbackBind(bind: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(bind) || bind === '::1' || bind === '[::1]' || bind.toLowerCase() === 'localhost';
}

/** Splits a `Host` header into its lower-cased name and port (`''` when absent). */
function splitHost(header: string): [name: string, port: string] {
  const host = header.toLowerCase();
  const colon = host.lastIndexOf(':');
  return colon > host.lastIndexOf(']') ? [host.slice(0, colon), host.slice(colon + 1)] : [host, ''];
}

/**
 * Refuses requests whose `Host` is not one the dashboard serves. A web page
 * can point a name it controls at 127.0.0.1 (DNS rebinding) and read the
 * dashboard as same-origin; the browser still sends that name as `Host`, so
 * answering only to known names stops it. Entries are `name` (any port) or
 * `name:port`; `servedPort` narrows bare names to the port listened on, read
 * per request because port 0 is only known once listening.
 */
export function hostGuard(allowed: readonly string[], servedPort?: () => number): MiddlewareHandler {
  if (allowed.includes('*')) return async (_c, next) => next();
  const entries = allowed.map((entry) => splitHost(entry));
  return async (c, next) => {
    const [name, port] = splitHost(c.req.header('host') ?? '');
    const served = servedPort?.();
    const ok = entries.some(([allowedName, allowedPort]) => {
      if (allowedName !== name) return false;
      if (allowedPort !== '') return allowedPort === port;
      return served === undefined || port === String(served);
    });
    if (!ok) {
      const where = served === undefined ? allowed.join(', ') : LOOPBACK_NAMES.map((n) => `http://${n}:${served}/`).join(', ');
      return c.text(`Forbidden: this dashboard answers only to ${where} (another Host header may be a DNS-rebinding page).\n`, 403);
    }
    await next();
  };
}
