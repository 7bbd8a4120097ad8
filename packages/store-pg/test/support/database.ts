import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';

/** The PostgreSQL every test talks to; override with DATABASE_URL. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A lowercase table name no other test (or test run) uses. */
export function uniqueTable(): string {
  return `cursors_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** Runs `sql` on a fresh admin connection and closes it. */
export async function admin<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Drops a table the tests made. */
export async function dropTable(table: string): Promise<void> {
  await admin(`DROP TABLE IF EXISTS "${table}"`);
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP listener that accepts connections and never answers: a server that hangs. */
export async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How a call settled and how long it took. */
export async function settle(call: () => Promise<unknown>): Promise<{ outcome: 'resolved' | 'rejected'; value: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await call();
    return { outcome: 'resolved', value, ms: performance.now() - started };
  } catch (error) {
    return { outcome: 'rejected', value: error, ms: performance.now() - started };
  }
}
