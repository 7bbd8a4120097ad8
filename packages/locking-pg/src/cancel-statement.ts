import { connect } from 'node:net';
import type { PoolClient } from 'pg';

/** Protocol code of a CancelRequest message (1234 in the high 16 bits, 5678 in the low). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel whatever `client`'s session is running, over a
 * separate short-lived connection, as the protocol prescribes. Needed
 * because destroying a connection does not stop its statement: a backend
 * blocked on a lock does not notice the socket is gone, and would go on to
 * take the lock after the caller was told the call failed. Best effort:
 * resolves once the server has taken the request (it closes the socket
 * after signalling the backend) or after `timeoutMs`; never rejects.
 * Works through PgBouncer, which forwards cancel requests.
 */
export function cancelStatement(client: PoolClient, timeoutMs: number): Promise<void> {
  const { processID, secretKey, host, port } = client as unknown as {
    processID?: number | null;
    secretKey?: number | null;
    host?: string;
    port?: number;
  };
  if (typeof processID !== 'number' || typeof secretKey !== 'number') return Promise.resolve();
  return new Promise((resolve) => {
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
    packet.writeInt32BE(processID, 8);
    packet.writeInt32BE(secretKey, 12);
    const target = typeof host === 'string' && host.startsWith('/') ? { path: `${host}/.s.PGSQL.${port ?? 5432}` } : { host: host ?? 'localhost', port: port ?? 5432 };
    const socket = connect(target);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.once('error', done);
    socket.once('close', done);
    socket.once('connect', () => socket.end(packet));
  });
}
