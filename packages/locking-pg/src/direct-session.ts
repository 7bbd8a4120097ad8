import type { PoolClient } from 'pg';
import { queryWithin } from './query-within.js';

/** What each connection turned out to be, so the check runs once per connection. */
const verdicts = new WeakMap<PoolClient, boolean>();

/**
 * What is already known about `client`: `true` for a direct session,
 * `false` behind a pooler, `undefined` when not checked yet.
 */
export function knownDirectSession(client: PoolClient): boolean | undefined {
  return verdicts.get(client);
}

/**
 * Whether `client` talks to its own server session rather than through a
 * pooling proxy. PgBouncer answers the startup with its own random backend
 * key, so the pid the client was given differs from the server's
 * `pg_backend_pid()`. One round trip, once per connection.
 */
export async function isDirectSession(client: PoolClient, timeoutMs: number): Promise<boolean> {
  const known = verdicts.get(client);
  if (known !== undefined) return known;
  const result = await queryWithin<{ pid: number }>(client, { text: 'SELECT pg_backend_pid() AS pid' }, timeoutMs);
  return rememberServerPid(client, result.rows[0]?.pid);
}

/** Records the verdict on `client` from the server's own `pg_backend_pid()`, learnt by any statement; returns it. */
export function rememberServerPid(client: PoolClient, serverPid: unknown): boolean {
  const direct = typeof serverPid === 'number' && announcedPid(client) === serverPid;
  verdicts.set(client, direct);
  return direct;
}

/** The backend pid the connection was given at startup (by the server, or by a pooler in its place). */
export function announcedPid(client: PoolClient): number | null | undefined {
  return (client as unknown as { processID?: number | null }).processID;
}
