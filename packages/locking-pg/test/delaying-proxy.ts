import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy to PostgreSQL whose replies can be held back, as on a congested network. */
export interface DelayingProxy {
  readonly port: number;
  /** From now on, bytes from the server reach the client `ms` late. */
  delayReplies(ms: number): void;
  /** From now on no byte passes either way, and connections stay open: a server frozen mid-session. */
  freeze(): void;
  close(): Promise<void>;
}

export async function startDelayingProxy(target: { host: string; port: number }): Promise<DelayingProxy> {
  let delayMs = 0;
  let frozen = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (frozen) return;
      if (delayMs === 0) client.write(chunk);
      else setTimeout(() => client.destroyed || client.write(chunk), delayMs);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => setTimeout(() => client.end(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    delayReplies(ms) {
      delayMs = ms;
    },
    freeze() {
      frozen = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
