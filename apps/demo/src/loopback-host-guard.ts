import type { MiddlewareHandler } from 'hono';

/** Whether `bind` is an interface only this machine can reach. */
export function isLoopbackBind(bind: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(bind) || bind === '::1' || bind === '[::1]' || bind.toLowerCase() === 'localhost';
}

/**
 * Refuses requests whose `Host` header is not a loopback name with the port
 * served. A web page can point a name it controls at 127.0.0.1 (DNS
 * rebinding) and read the dashboard as same-origin; the browser still sends
 * that name as `Host`, so answering only to loopback names stops it.
 * `port` is read per request because port 0 is only known once listening.
 */
export function loopbackHostGuard(bind: string, port: () => number): MiddlewareHandler {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind.toLowerCase()]);
  return async (c, next) => {
    const served = port();
    const host = c.req.header('host')?.toLowerCase() ?? '';
    const colon = host.lastIndexOf(':');
    const [name, hostPort] = colon > host.lastIndexOf(']') ? [host.slice(0, colon), host.slice(colon + 1)] : [host, '80'];
    if (!names.has(name) || hostPort !== String(served)) {
      return c.text(`Forbidden: this dashboard answers only to http://127.0.0.1:${served}/, http://localhost:${served}/ or http://[::1]:${served}/ (another Host header may be a DNS-rebinding page).\n`, 403);
    }
    await next();
  };
}
